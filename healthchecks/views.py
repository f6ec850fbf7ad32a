"""Opening and filling health checks. Staff reach rounds through the case (404 for strangers), the
participant only her own rounds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors as coaching_selectors
from coaching.errors import DomainError, NotAllowed
from coaching.tabs import case_url
from neem.signals import personal_data_accessed

from . import selectors, services
from .forms import OpenRoundForm, ScoresForm


def _to_case(case_pk: int):
    return redirect(case_url(case_pk, "coaching", "#health-check"))


@login_required
@require_POST
def round_open(request, case_pk: int):
    case = coaching_selectors.case_for_page(request.user, case_pk)
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose when the health check is taken. Nothing was changed."))
        return _to_case(case.pk)
    try:
        services.round_open(case=case, by=request.user, kind=form.cleaned_data["kind"])
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The health check is open. The participant can fill it in on her page."))
    return _to_case(case.pk)


def _fill(request, health_round, *, done_url: str, template_context: dict):
    case = health_round.case
    if not services.can_fill(request.user, case):
        raise PermissionDenied
    if health_round.is_filled:
        messages.info(request, _("This health check has already been filled in."))
        return redirect(done_url)
    form = ScoresForm(request.POST or None, areas=health_round.questionnaire.areas.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.round_fill(round_id=health_round.pk, by=request.user, scores=form.scores())
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. The health check is saved."))
            return redirect(done_url)
    return render(
        request,
        "healthchecks/round_fill.html",
        {"round": health_round, "case": case, "form": form, "back_url": done_url, **template_context},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def round_fill(request, case_pk: int, round_pk: int):
    case = coaching_selectors.case_for_page(request.user, case_pk)
    health_round = selectors.round_for_staff(request.user, case, round_pk)
    if request.method != "POST":
        personal_data_accessed.send(sender=__name__, user=request.user, case=case, action="view_health_check")
    return _fill(
        request,
        health_round,
        done_url=case_url(case.pk, "coaching", "#health-check"),
        template_context={"mine": False},
    )


@login_required
def my_round_fill(request, round_pk: int):
    health_round = selectors.round_for_participant(request.user, round_pk)
    return _fill(request, health_round, done_url=reverse("coaching:my_page"), template_context={"mine": True})
