"""Sessions: the advisers' list, planning a session, taking attendance in one form; cohorts."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import curriculum_selectors as cs
from . import session_services as svc
from .curriculum_forms import CohortForm, SessionForm
from .errors import DomainError, NotAllowed
from .models import CaseFile
from .session_models import Attendance, Cohort

LIST_DAYS = 60


def _staff_regions(user):
    regions = svc.session_regions(user)
    if not regions.exists():
        raise PermissionDenied
    return regions


@login_required
def session_list(request):
    """Sessions of the user's regions: those needing attendance first, then upcoming, then past."""
    _staff_regions(request.user)
    now = timezone.now()
    sessions = list(
        cs.session_list(request.user)
        .filter(starts_at__gte=now - timedelta(days=LIST_DAYS), starts_at__lte=now + timedelta(days=LIST_DAYS))
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "coaching/sessions/session_list.html",
        {
            "missing": [s for s in sessions if s.starts_at < now and s.attendance_taken_at is None],
            "upcoming": [s for s in sessions if s.starts_at >= now],
            "past": [s for s in reversed(sessions) if s.starts_at < now and s.attendance_taken_at is not None],
            "days": LIST_DAYS,
        },
    )


@login_required
def session_edit(request, session_pk: int | None = None):
    regions = _staff_regions(request.user)
    session = get_object_or_404(cs.sessions_visible_to(request.user), pk=session_pk) if session_pk else None
    initial = {"adviser": request.user.pk, "duration_minutes": 120} if session is None else {}
    form = SessionForm(request.POST or None, instance=session, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in svc.SESSION_FIELDS}
        try:
            saved = svc.session_save(by=request.user, region=form.cleaned_data["region"], data=data, session=session)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("coaching:session_attendance", session_pk=saved.pk)
    return render(request, "coaching/sessions/session_form.html", {"form": form, "session": session})


class AttendanceForm(forms.Form):
    """One radio group per participant, rendered as a table row."""

    CHOICES = [("", gettext_lazy("not recorded")), *Attendance.Status.choices]

    def __init__(self, *args, cases, existing: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases
        for case in cases:
            self.fields[f"case_{case.pk}"] = forms.ChoiceField(
                label=case.participant.full_name,
                choices=self.CHOICES,
                required=False,
                initial=existing.get(case.pk, ""),
                widget=forms.RadioSelect,
            )

    def rows(self):
        for case in self.cases:
            yield case, self[f"case_{case.pk}"]

    def statuses(self) -> dict[int, str]:
        return {case.pk: self.cleaned_data[f"case_{case.pk}"] for case in self.cases}


@login_required
def session_attendance(request, session_pk: int):
    """The session with its attendance form: a constant number of queries whatever the group size."""
    session = get_object_or_404(
        cs.sessions_visible_to(request.user).select_related(
            "region", "cohort", "adviser", "module", "case__participant"
        ),
        pk=session_pk,
    )
    cases = svc.attendance_candidates(session)
    existing = dict(Attendance.objects.filter(session=session).values_list("case_id", "status"))
    can_edit = svc.can_run_sessions(request.user, session.region_id)
    form = AttendanceForm(request.POST or None, cases=cases, existing=existing)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.attendance_record(by=request.user, session_id=session.pk, statuses=form.statuses())
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Attendance was saved."))
                return redirect("coaching:session_list")
    return render(
        request,
        "coaching/sessions/session_detail.html",
        {
            "session": session,
            "form": form,
            "can_edit": can_edit,
            "started": session.starts_at <= timezone.now(),
        },
    )


@login_required
def cohort_list(request):
    regions = _staff_regions(request.user)
    cohorts = (
        Cohort.objects.filter(region__in=regions)
        .select_related("region")
        .prefetch_related("members__case__participant")
    )
    return render(request, "coaching/sessions/cohort_list.html", {"cohorts": cohorts})


@login_required
def cohort_edit(request, cohort_pk: int | None = None):
    regions = _staff_regions(request.user)
    cohort = get_object_or_404(Cohort.objects.filter(region__in=regions), pk=cohort_pk) if cohort_pk else None
    cases = (
        CaseFile.objects.filter(region__in=regions, state__in=["intake", "coaching"])
        .select_related("participant", "region")
        .order_by("region", "participant__last_name")
    )
    if cohort is not None:
        cases = cases | CaseFile.objects.filter(cohort_memberships__cohort=cohort).select_related(
            "participant", "region"
        )
    initial = (
        {
            "region": cohort.region_id,
            "name": cohort.name,
            "starts_on": cohort.starts_on,
            "cases": list(cohort.members.values_list("case_id", flat=True)),
        }
        if cohort
        else {"starts_on": timezone.localdate()}
    )
    form = CohortForm(request.POST or None, regions=regions, cases=list(cases.distinct()), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.cohort_save(
                by=request.user,
                region=data["region"],
                name=data["name"],
                starts_on=data["starts_on"],
                case_ids=data["cases"],
                cohort=cohort,
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The cohort was saved."))
            return redirect("coaching:cohort_list")
    return render(request, "coaching/sessions/cohort_form.html", {"form": form, "cohort": cohort})
