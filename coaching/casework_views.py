"""Case work day to day: notes, the adviser's "today", hand-overs, duplicates and merges."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from neem import access
from neem.params import positive_int

from . import selectors, services
from .errors import DomainError, NotAllowed
from .models import OPEN_STAGES, CaseFile, Note, Participant


# --- Notes -------------------------------------------------------------------------------------
class NoteTextForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


def _note_for(request, pk: int, note_pk: int) -> tuple[CaseFile, Note]:
    case = selectors.case_for_page(request.user, pk)
    notes = case.notes.all()
    if not access.can_read_confidential(request.user, case):
        notes = notes.filter(confidential=False)
    return case, get_object_or_404(notes, pk=note_pk)


@login_required
def note_edit(request, pk: int, note_pk: int):
    case, note = _note_for(request, pk, note_pk)
    if note.author_id != request.user.pk or not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    correcting = not note.is_editable()
    form = NoteTextForm(request.POST or None, initial={"text": "" if correcting else note.text})
    if request.method == "POST" and form.is_valid():
        try:
            if correcting:
                services.note_correct(note_id=note.pk, by=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("The correction was saved as a new note."))
            else:
                services.note_edit(note_id=note.pk, by=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("The note was updated."))
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("coaching:case_detail", args=[case.pk]) + "#notes")
    return render(
        request, "coaching/note_edit.html", {"case": case, "note": note, "form": form, "correcting": correcting}
    )


@login_required
def note_correct(request, pk: int, note_pk: int):
    case, note = _note_for(request, pk, note_pk)
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    form = NoteTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_correct(note_id=note.pk, by=request.user, text=form.cleaned_data["text"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The correction was saved as a new note."))
        return redirect(reverse("coaching:case_detail", args=[case.pk]) + "#notes")
    return render(request, "coaching/note_edit.html", {"case": case, "note": note, "form": form, "correcting": True})


# --- Today -------------------------------------------------------------------------------------
@login_required
def today(request):
    scope = access.scope_of(request.user)
    if not (scope.adviser_regions or scope.lead_regions):
        raise PermissionDenied
    return render(request, "coaching/today.html", {"groups": selectors.today_actions(request.user)})


# --- Team and hand-over -----------------------------------------------------------------------
@login_required
def teams(request):
    """Each managed region's advisers with their caseload against the programme's recommendation."""
    regions = list(access.managed_regions(request.user))
    if not regions:
        raise PermissionDenied
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from neem.models import Role

    open_q = Q(assigned_cases__state__in=[str(s) for s in OPEN_STAGES])
    rows = []
    advisers = (
        get_user_model()
        .objects.filter(memberships__region__in=regions, memberships__role=Role.ADVISER)
        .annotate(open_cases=Count("assigned_cases", filter=open_q, distinct=True))
        .values("pk", "first_name", "last_name", "email", "is_active", "open_cases", "memberships__region")
        .order_by("first_name", "last_name")
    )
    by_region: dict[int, list[dict]] = {r.pk: [] for r in regions}
    for adviser in advisers:
        by_region[adviser["memberships__region"]].append(adviser)
    unassigned = dict(
        CaseFile.objects.filter(region__in=regions, state__in=[str(s) for s in OPEN_STAGES])
        .filter(Q(adviser__isnull=True) | Q(adviser__is_active=False))
        .values("region")
        .annotate(n=Count("id"))
        .values_list("region", "n")
    )
    for region in regions:
        rows.append(
            {
                "region": region,
                "advisers": by_region[region.pk],
                "recommended": region.programme.recommended_caseload,
                "unassigned": unassigned.get(region.pk, 0),
            }
        )
    return render(request, "coaching/teams.html", {"rows": rows})


class HandOverForm(forms.Form):
    from_adviser = forms.ChoiceField(label=gettext_lazy("Hand over the cases of"), required=False)
    cases = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Cases"), coerce=int, widget=forms.CheckboxSelectMultiple, required=True
    )
    to_advisers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("To"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    balance = forms.BooleanField(
        label=gettext_lazy("Balance by current caseload size (otherwise deal them out in turn)"),
        required=False,
        initial=True,
    )
    note = forms.CharField(label=gettext_lazy("Note on each case (optional)"), required=False, max_length=2000)


@login_required
def hand_over(request, region_pk: int):
    region = get_object_or_404(access.managed_regions(request.user), pk=region_pk)
    from django.contrib.auth import get_user_model

    from neem.models import Role

    staff = list(
        get_user_model()
        .objects.filter(memberships__region=region, memberships__role=Role.ADVISER)
        .distinct()
        .order_by("first_name", "last_name")
    )
    source = request.POST.get("from_adviser") or request.GET.get("from_adviser") or ""
    if source != "none" and positive_int(source) is None:
        source = ""  # not an adviser's id: all advisers (the form says what is wrong on a POST)
    open_cases = CaseFile.objects.filter(region=region, state__in=[str(s) for s in OPEN_STAGES]).select_related(
        "participant", "adviser"
    )
    if source == "none":
        open_cases = open_cases.filter(adviser__isnull=True) | open_cases.filter(adviser__is_active=False)
    elif source:
        open_cases = open_cases.filter(adviser_id=source)
    open_cases = list(open_cases.order_by("participant__last_name", "pk"))
    form = HandOverForm(request.POST or None, initial={"from_adviser": source, "cases": [c.pk for c in open_cases]})
    form.fields["from_adviser"].choices = [("", _("all advisers")), ("none", _("unassigned"))] + [
        (str(a.pk), f"{a}{'' if a.is_active else ' (' + _('inactive') + ')'}") for a in staff
    ]
    form.fields["cases"].choices = [
        (c.pk, f"{c.participant.full_name} — {c.get_state_display()} — {c.adviser or _('unassigned')}")
        for c in open_cases
    ]
    active = [a for a in staff if a.is_active]
    form.fields["to_advisers"].choices = [(a.pk, str(a)) for a in active]
    if request.method == "POST" and form.is_valid():
        by_pk = {a.pk: a for a in active}
        try:
            result = services.cases_hand_over(
                by=request.user,
                region=region,
                case_ids=form.cleaned_data["cases"],
                to_advisers=[by_pk[pk] for pk in form.cleaned_data["to_advisers"]],
                balance=form.cleaned_data["balance"],
                note=form.cleaned_data["note"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            summary = ", ".join(f"{by_pk[pk]}: {n}" for pk, n in result.items() if n)
            messages.success(request, _("Handed over. %(summary)s") % {"summary": summary})
            return redirect("coaching:teams")
    sizes = services.caseload_sizes(region.pk)
    return render(
        request,
        "coaching/hand_over.html",
        {
            "region": region,
            "form": form,
            "source": source,
            "sizes": [(a, sizes.get(a.pk, 0)) for a in active],
            "recommended": region.programme.recommended_caseload,
        },
    )


# --- Duplicates and merges --------------------------------------------------------------------
@login_required
def duplicates(request):
    if not access.managed_regions(request.user).exists():
        raise PermissionDenied
    return render(request, "coaching/duplicates.html", {"pairs": selectors.duplicate_pairs(request.user)})


def _merge_candidates(request, keep_pk: int, duplicate_pk: int) -> tuple[Participant, Participant]:
    visible = Participant.objects.filter(
        merged_into__isnull=True, cases__region__in=access.managed_regions(request.user)
    ).distinct()
    keep = get_object_or_404(visible, pk=keep_pk)
    duplicate = get_object_or_404(visible, pk=duplicate_pk)
    if keep.pk == duplicate.pk:
        raise Http404
    return keep, duplicate


@login_required
def merge(request, keep_pk: int, duplicate_pk: int):
    keep, duplicate = _merge_candidates(request, keep_pk, duplicate_pk)
    keep_cases = {c.programme_id: c for c in keep.cases.select_related("programme", "region", "adviser")}
    dup_cases = list(duplicate.cases.select_related("programme", "region", "adviser"))
    conflicts = [(keep_cases[c.programme_id], c) for c in dup_cases if c.programme_id in keep_cases]
    if request.method == "POST":
        winners = {}
        for kept_case, _dup_case in conflicts:
            winners[kept_case.programme_id] = request.POST.get(f"winner_{kept_case.programme_id}", "")
        try:
            services.participants_merge(by=request.user, keep_id=keep.pk, duplicate_id=duplicate.pk, winners=winners)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The two records were merged."))
            case = keep.cases.first()
            return redirect("coaching:case_detail", pk=case.pk) if case else redirect("coaching:duplicates")
    return render(
        request,
        "coaching/merge.html",
        {
            "keep": keep,
            "duplicate": duplicate,
            "keep_cases": list(keep_cases.values()),
            "dup_cases": dup_cases,
            "conflicts": conflicts,
        },
    )


@login_required
@require_POST
def duplicate_dismiss(request, first_pk: int, second_pk: int):
    _merge_candidates(request, first_pk, second_pk)
    try:
        services.duplicate_dismiss(by=request.user, first_id=first_pk, second_id=second_pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Marked as different people."))
    return redirect("coaching:duplicates")
