from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from neem import access, pagination
from neem.models import Region, Role
from neem.signals import personal_data_accessed

from . import history as case_history
from . import selectors, services, tabs
from .errors import DomainError, NotAllowed
from .forms import (
    AssignForm,
    CaseloadFilterForm,
    NewParticipantForm,
    NextActionForm,
    NoteForm,
    ParticipantForm,
    TransitionForm,
)
from .models import JOURNEY, Participant


def _staff_only(user) -> None:
    if not access.scope_of(user).case_reader_regions and not access.scope_of(user).case_reader_programmes:
        raise PermissionDenied


class CaseloadView(LoginRequiredMixin, TemplateView):
    """An adviser's caseload, a region lead's region, a manager's programme: one list, scoped."""

    template_name = "coaching/caseload.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _staff_only(user)
        scope = access.scope_of(user)
        # Only what the filter form and the title show: the regions' names, the advisers' names (str(user)).
        regions = list(
            (
                Region.objects.filter(pk__in=scope.case_reader_regions)
                | Region.objects.filter(programme__in=scope.case_reader_programmes)
            ).only("name")
        )
        advisers = list(
            get_user_model()
            .objects.filter(memberships__region__in=regions, memberships__role=Role.ADVISER)
            .only("first_name", "last_name", "email")
            .distinct()
        )
        params = self.request.GET.copy()
        is_adviser_only = bool(scope.adviser_regions) and not (scope.lead_regions or scope.case_reader_programmes)
        if "sort" not in params and is_adviser_only and "mine" not in params and not params.get("all"):
            params["mine"] = "on"
        form = CaseloadFilterForm(params, regions=regions, advisers=advisers)
        cleaned = form.cleaned_data if form.is_valid() else {}
        filters = selectors.CaseloadFilters(
            q=cleaned.get("q") or "",
            stage=cleaned.get("stage") or "",
            region=cleaned.get("region"),
            adviser=cleaned.get("adviser") or None,
            mine=bool(cleaned.get("mine")),
            include_closed=bool(cleaned.get("include_closed")),
            sort=cleaned.get("sort") or "due",
        )
        # The first page carries the count: one query, not two (neem.pagination).
        page = pagination.get_page(
            selectors.caseload(user, filters), settings.NEEM_CASELOAD_PAGE_SIZE, self.request.GET.get("page")
        )
        query = params.copy()
        query.pop("page", None)
        if scope.lead_regions and not scope.case_reader_programmes:
            title = _("Caseload of %(regions)s") % {
                "regions": ", ".join(r.name for r in regions if r.pk in scope.lead_regions)
            }
        elif scope.case_reader_programmes:
            title = _("Case list of the programme")
        else:
            title = _("My caseload — %(regions)s") % {"regions": ", ".join(r.name for r in regions)}
        return {
            **super().get_context_data(**kwargs),
            "title": title,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": access.can_create_participants(user),
            "next_actions": list(selectors.my_next_actions(user)[:10])
            if scope.adviser_regions or scope.lead_regions
            else [],
        }


NOTES_ON_CASE_PAGE = 5
TIMELINE_ON_CASE_PAGE = 10


@login_required
def case_detail(request, pk: int):
    """The case page, one tab at a time (coaching/tabs.py).

    The overview: who she is, where the case stands, what is next, the latest notes and timeline entries. Every
    note, the whole timeline and who changed what are on the case record (`case_record`): a case with a long
    history does not make every visit to its page slower (manage.py bench).
    """
    tab = request.GET.get("tab") or tabs.OVERVIEW
    if tab not in tabs.NAMES:
        raise Http404
    # Her login is shown on the messages tab (participant_pages_panel).
    case = selectors.case_for_page(request.user, pk, with_login=tab == "pages")
    user = request.user
    can_work = access.can_work_on_case(user, case)
    can_assign = access.can_assign_case(user, case)
    personal_data_accessed.send(sender=__name__, user=user, case=case, action="view")
    context = {
        "case": case,
        "participant": case.participant,
        "journey": JOURNEY,
        "stage_index": JOURNEY.index(case.state) if case.state in JOURNEY else None,
        "tab": tab,
        "tabs": tabs.TABS,
        "stage_tab": tabs.of_stage(case.state),
        "can_work": can_work,
        "can_assign": can_assign,
    }
    if tab == tabs.OVERVIEW:
        notes = list(_notes(user, case)[: NOTES_ON_CASE_PAGE + 1])
        events = list(selectors.timeline(case, limit=TIMELINE_ON_CASE_PAGE + 1))
        context |= {
            # This case is one of hers: whoever may work on it or assign it may edit her details (no query).
            "can_edit_participant": can_work or can_assign or services.can_edit_participant(user, case.participant),
            "transitions": services.transitions_for(case, user) if can_work else [],
            "transition_form": TransitionForm(),
            "note_form": NoteForm(),
            "action_form": NextActionForm(),
            "notes": notes[:NOTES_ON_CASE_PAGE],
            "notes_more": len(notes) > NOTES_ON_CASE_PAGE,
            "actions": case.next_actions.select_related("owner"),
            "events": events[:TIMELINE_ON_CASE_PAGE],
            "timeline_more": len(events) > TIMELINE_ON_CASE_PAGE,
            "sees_sensitive": access.can_see_sensitive(user, case),
            "can_open_personal_data": can_work
            or access.can_export_personal_data(user, case)
            or access.can_erase_personal_data(user, case),
        }
    return render(request, "coaching/case_detail.html", context)


RECORD_NOTES = 500


@login_required
def case_record(request, pk: int):
    """The case record: every note (the latest 500), the whole timeline (the latest 200 entries) and who changed
    what, for the people who may read the case."""
    case = selectors.case_for_page(request.user, pk)
    user = request.user
    history = case.history.select_related("history_user")[:50]
    participant_history = case.participant.history.select_related("history_user")[:50]
    hidden = () if access.can_see_sensitive(user, case) else Participant.SENSITIVE_FIELDS
    personal_data_accessed.send(sender=__name__, user=user, case=case, action="view")
    return render(
        request,
        "coaching/case_record.html",
        {
            "case": case,
            "participant": case.participant,
            "can_work": access.can_work_on_case(user, case),
            "notes": _notes(user, case)[:RECORD_NOTES],
            "events": list(selectors.timeline(case)),
            "changes": sorted(
                _changes(history)
                + _changes(participant_history, hidden=hidden)
                + [
                    change
                    for source in case_history.sources().values()
                    for change in _changes(source(case), skip_relations=True)
                ],
                key=lambda change: change["at"],
                reverse=True,
            ),
        },
    )


def _notes(user, case):
    """The case's notes, newest first; confidential ones only for those who may read them."""
    notes = case.notes.select_related("author", "corrects")
    if not access.can_read_confidential(user, case):
        notes = notes.filter(confidential=False)
    return notes


def _changes(records, *, hidden=(), skip_relations: bool = False) -> list[dict]:
    """Field-level differences between consecutive history records of each object, newest first (without the
    `hidden` fields)."""
    by_object: dict[object, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    pairs = [pair for rows in by_object.values() for pair in zip(rows, rows[1:], strict=False)]
    result = []
    for newer, older in pairs:
        delta = newer.diff_against(older)
        fields = [c.field for c in delta.changes if c.field not in ("updated_at", "stage_entered_at", *hidden)]
        if skip_relations:  # an id says nothing on the page; who made the change is in its own column
            fields = [f for f in fields if not newer.instance._meta.get_field(f).is_relation]
        if fields:
            result.append(
                {
                    "at": newer.history_date,
                    "by": newer.history_user,
                    "model": newer.instance._meta.verbose_name,
                    "changes": [
                        {
                            "field": newer.instance._meta.get_field(c.field).verbose_name,
                            "old": c.old,
                            "new": c.new,
                        }
                        for c in delta.changes
                        if c.field in fields
                    ],
                }
            )
    return result


def _back_to_case(case_pk: int, anchor: str = "") -> HttpResponseRedirect:
    return redirect(tabs.case_url(case_pk, anchor=anchor))


def _handle(request, case_pk: int, action, success: str, anchor: str = ""):
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back_to_case(case_pk, anchor)


@login_required
@require_POST
def case_transition(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Nothing was changed."))
        return _back_to_case(case.pk)
    data = form.cleaned_data
    return _handle(
        request,
        case.pk,
        lambda: services.case_transition(
            case_id=case.pk,
            by=request.user,
            name=data["transition"],
            note=data["note"],
            expected_state=data["expected_state"] or None,
            outcome=data["outcome"],
            reason=data["reason"],
        ),
        _("The case moved on."),
        "#timeline",
    )


@login_required
@require_POST
def case_check_eligibility(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    try:
        problems = services.case_check_eligibility(case=case, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if problems:
            messages.warning(request, _("Not eligible: %(why)s") % {"why": " ".join(problems)})
        else:
            messages.success(request, _("The participant meets the programme's eligibility rules."))
    return _back_to_case(case.pk)


@login_required
def case_assign(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    if not access.can_assign_case(request.user, case):
        raise PermissionDenied
    advisers = services.advisers_of_region(case.region_id)
    form = AssignForm(request.POST or None, advisers=advisers, initial={"adviser": case.adviser_id})
    if request.method == "POST" and form.is_valid():
        return _handle(
            request,
            case.pk,
            lambda: services.case_assign(
                case=case, by=request.user, adviser=form.cleaned_data["adviser"], note=form.cleaned_data["note"]
            ),
            _("The adviser was assigned."),
        )
    return render(request, "coaching/case_assign.html", {"case": case, "form": form})


@login_required
@require_POST
def note_add(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note could not be saved: %(errors)s") % {"errors": form.errors.as_text()})
        return _back_to_case(case.pk, "#notes")
    return _handle(
        request,
        case.pk,
        lambda: services.note_add(
            case=case, by=request.user, text=form.cleaned_data["text"], confidential=form.cleaned_data["confidential"]
        ),
        _("The note was saved."),
        "#notes",
    )


@login_required
@require_POST
def next_action_add(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    form = NextActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The action could not be saved: %(errors)s") % {"errors": form.errors.as_text()})
        return _back_to_case(case.pk, "#actions")
    return _handle(
        request,
        case.pk,
        lambda: services.next_action_add(
            case=case, by=request.user, title=form.cleaned_data["title"], due_date=form.cleaned_data["due_date"]
        ),
        _("The next action was added."),
        "#actions",
    )


@login_required
@require_POST
def next_action_done(request, pk: int, action_pk: int):
    case = selectors.case_for_page(request.user, pk)
    get_object_or_404(case.next_actions, pk=action_pk)
    return _handle(
        request,
        case.pk,
        lambda: services.next_action_complete(action_id=action_pk, by=request.user),
        _("Marked as done."),
        "#actions",
    )


@login_required
def participant_create(request):
    if not access.can_create_participants(request.user):
        raise PermissionDenied
    regions = access.regions_for_new_cases(request.user)
    form = NewParticipantForm(request.POST or None, regions=regions)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.possible_duplicates(
                email=data["email"],
                phone=data["phone"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
            )
        )
        if duplicates and not data["create_anyway"]:
            messages.warning(request, _("This person may already be registered. Check the list below."))
        else:
            try:
                _participant, case = services.participant_create(
                    by=request.user, data=form.participant_data(), region=data["region"]
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            messages.success(request, _("Registered. The case is open in the stage Mobilised."))
            return redirect("coaching:case_detail", pk=case.pk)
    visible = set(
        selectors.cases_visible_to(request.user).filter(participant__in=duplicates).values_list("pk", flat=True)
    )
    return render(
        request,
        "coaching/participant_form.html",
        {"form": form, "duplicates": duplicates, "visible_cases": visible, "title": _("Register a participant")},
    )


@login_required
def participant_edit(request, pk: int):
    participant = get_object_or_404(selectors.participants_visible_to(request.user), pk=pk)
    if not services.can_edit_participant(request.user, participant):
        raise PermissionDenied
    form = ParticipantForm(request.POST or None, instance=participant)
    case = participant.cases.filter(pk__in=selectors.cases_visible_to(request.user)).first()
    if request.method == "POST" and form.is_valid():
        data = form.participant_data()
        fresh = Participant.objects.get(pk=participant.pk)
        services.participant_update(by=request.user, participant=fresh, data=data)
        messages.success(request, _("The details were saved."))
        return redirect("coaching:case_detail", pk=case.pk) if case else redirect("home")
    return render(
        request,
        "coaching/participant_form.html",
        {"form": form, "participant": participant, "case": case, "title": _("Edit %(name)s") % {"name": participant}},
    )
