"""The mentor's own page, and matching a case with a mentor."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from neem import access

from . import mentoring_services as svc
from . import selectors
from .curriculum_forms import MentorMeetingForm
from .errors import DomainError, NotAllowed
from .forms import DateInput
from .tabs import case_url


@login_required
def mentor_home(request):
    if not svc.is_mentor(request.user):
        raise PermissionDenied
    matches = list(svc.matches_of_mentor(request.user))
    return render(
        request,
        "coaching/mentoring/mentor_home.html",
        {"matches": [{"match": m, "form": MentorMeetingForm(prefix=f"m{m.pk}")} for m in matches]},
    )


@login_required
@require_POST
def mentor_meeting_add(request, match_pk: int):
    if not svc.is_mentor(request.user):
        raise PermissionDenied
    match = get_object_or_404(svc.matches_of_mentor(request.user), pk=match_pk)
    form = MentorMeetingForm(request.POST, prefix=f"m{match.pk}")
    if form.is_valid():
        try:
            svc.mentor_meeting_log(match_id=match.pk, by=request.user, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The meeting was logged."))
            return redirect("coaching:mentor_home")
    matches = list(svc.matches_of_mentor(request.user))
    return render(
        request,
        "coaching/mentoring/mentor_home.html",
        {
            "matches": [
                {"match": m, "form": form if m.pk == match.pk else MentorMeetingForm(prefix=f"m{m.pk}")}
                for m in matches
            ]
        },
        status=400,
    )


class MatchForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Mentor"))
    started_on = forms.DateField(label=gettext_lazy("Start date"), widget=DateInput(), required=False)


@login_required
def mentor_match(request, pk: int):
    case = selectors.case_for_page(request.user, pk)
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    form = MatchForm(request.POST or None)
    form.fields["mentor"].queryset = svc.mentors_of_programme(case.programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            svc.mentor_match(
                case=case,
                mentor=form.cleaned_data["mentor"],
                by=request.user,
                started_on=form.cleaned_data["started_on"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error("mentor", exc.message)
        else:
            messages.success(request, _("The mentor was matched."))
            return redirect(case_url(case.pk, "coaching", "#modules"))
    return render(
        request,
        "coaching/mentoring/match.html",
        {"case": case, "form": form, "matches": svc.active_matches_of_case(case)},
    )


@login_required
@require_POST
def mentor_match_end(request, pk: int, match_pk: int):
    case = selectors.case_for_page(request.user, pk)
    match = get_object_or_404(case.mentor_matches, pk=match_pk)
    try:
        svc.mentor_match_end(match_id=match.pk, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("The mentoring was ended."))
    return redirect("coaching:mentor_match", pk=case.pk)
