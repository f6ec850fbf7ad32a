"""Plan screens for staff (under /cases/<pk>/plan/) and for the participant (under /my/plan/<pk>/).

The same views serve both; `mine` picks the selector, so a participant reaches only her own case
and staff only the cases they may see (404 otherwise). Writes go through plans.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.errors import DomainError, NotAllowed
from neem.params import positive_int
from neem.signals import personal_data_accessed

from . import budget, pdf, permissions, selectors, services
from .forms import ApproveForm, BudgetForm, CommentForm, ReturnForm, SectionsForm
from .models import PlanStatus
from .sections import BUDGET_KEY, SECTIONS


def _case(request, case_pk: int, mine: bool):
    if mine:
        return selectors.case_for_participant(request.user, case_pk)
    return selectors.case_for_staff(request.user, case_pk)


def _log_view(request, case) -> None:
    """Staff reading her plan is in her access log (her own visits are not)."""
    personal_data_accessed.send(sender=__name__, user=request.user, case=case, action="view_plan")


def _url(name: str, case, mine: bool, query: str = "") -> str:
    return reverse(f"plans:{'my_' if mine else ''}{name}", args=[case.pk]) + query


def _urls(case, mine: bool) -> dict[str, str]:
    names = ["detail", "edit", "budget", "compare", "pdf"]
    urls = {name: _url(name, case, mine) for name in names}
    if not mine:
        urls.update({name: _url(name, case, mine) for name in ["comment", "submit", "approve", "return"]})
    return urls


@login_required
def plan_detail(request, case_pk: int, mine: bool = False):
    case = _case(request, case_pk, mine)
    _log_view(request, case)
    user = request.user
    plan = selectors.plan_of(case)
    version = plan.latest_version if plan else None
    requested = request.GET.get("version")
    if plan and requested:
        number = positive_int(requested)
        if number is None:
            raise Http404
        version = selectors.version_of(plan, number)
    comments = selectors.comments_by_section(plan) if plan else {}
    sections = [
        {"section": s, "text": version.sections.get(s.key, "") if version else "", "comments": comments.get(s.key, [])}
        for s in SECTIONS
    ]
    currency = case.programme.currency
    context = {
        "case": case,
        "participant": case.participant,
        "plan": plan,
        "version": version,
        "is_latest": bool(plan and version and version.pk == plan.latest_version_id),
        "sections": sections,
        "budget_comments": comments.get(BUDGET_KEY, []),
        "result": budget.compute_data(version.budget if version else None, currency),
        "data": budget.from_data(version.budget if version else None),
        "currency": currency,
        "versions": list(selectors.versions(plan)) if plan else [],
        "mine": mine,
        "urls": _urls(case, mine),
        "can_edit": permissions.can_edit(user, case, plan),
    }
    if not mine:
        can_work = permissions.can_comment(user, case)
        context.update(
            {
                "can_comment": can_work and version is not None,
                "can_submit": bool(
                    plan
                    and plan.latest_version_id
                    and permissions.can_submit(user, case)
                    and plan.status != PlanStatus.SUBMITTED
                    and plan.approved_version_id != plan.latest_version_id
                ),
                "can_review": bool(plan and plan.status == PlanStatus.SUBMITTED and permissions.can_review(user, plan)),
                "comment_form": CommentForm(),
                "approve_form": ApproveForm(initial={"move_case": _suggested_move(case, plan)}),
                "return_form": ReturnForm(),
            }
        )
    return render(request, "plans/plan_detail.html", context)


def _suggested_move(case, plan) -> str:
    if case.state != "business_plan" or plan is None or plan.submitted_version_id is None:
        return ""
    return (
        "start_loan" if plan.latest_version and budget.from_data(plan.latest_version.budget).loan > 0 else "skip_loan"
    )


def _require_edit(request, case, mine: bool):
    plan = selectors.plan_of(case)
    if not permissions.can_edit(request.user, case, plan):
        if permissions.can_read(request.user, case):
            messages.error(
                request,
                _("The plan is being reviewed and cannot be changed now.")
                if plan and plan.is_locked
                else _("You cannot change this plan."),
            )
            return plan, redirect(_url("detail", case, mine))
        raise PermissionDenied
    return plan, None


@login_required
def plan_edit(request, case_pk: int, mine: bool = False):
    case = _case(request, case_pk, mine)
    plan, refusal = _require_edit(request, case, mine)
    if refusal:
        return refusal
    initial = plan.latest_version.sections if plan and plan.latest_version else {}
    form = SectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_save_sections(case=case, by=request.user, sections=form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect(_url("detail", case, mine))
    return render(
        request,
        "plans/plan_edit.html",
        {"case": case, "participant": case.participant, "form": form, "mine": mine, "urls": _urls(case, mine)},
    )


@login_required
def plan_budget(request, case_pk: int, mine: bool = False):
    case = _case(request, case_pk, mine)
    if request.method != "POST":
        _log_view(request, case)
    plan, refusal = _require_edit(request, case, mine)
    if refusal:
        return refusal
    stored = plan.latest_version.budget if plan and plan.latest_version else budget.empty_data()
    form = BudgetForm(request.POST or None, initial=stored)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.plan_save_budget(case=case, by=request.user, data=form.to_input())
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The budget was saved as version %(n)s.") % {"n": version.number})
                return redirect(_url("budget", case, mine, "#results"))
        else:
            status = 400
    currency = case.programme.currency
    return render(
        request,
        "plans/plan_budget.html",
        {
            "case": case,
            "participant": case.participant,
            "form": form,
            "result": budget.compute_data(stored, currency),
            "data": budget.from_data(stored),
            "currency": currency,
            "mine": mine,
            "urls": _urls(case, mine),
        },
        status=status,
    )


@login_required
def plan_compare(request, case_pk: int, mine: bool = False):
    case = _case(request, case_pk, mine)
    _log_view(request, case)
    plan = selectors.plan_of(case)
    if plan is None or plan.latest_version is None:
        raise Http404
    latest = plan.latest_version.number
    new_number = positive_int(request.GET.get("b") or str(latest))
    old_number = positive_int(request.GET.get("a") or str(max((new_number or 1) - 1, 1)))
    if new_number is None or old_number is None:
        raise Http404
    old, new = selectors.version_of(plan, old_number), selectors.version_of(plan, new_number)
    sections, figures = selectors.diff_versions(old, new, case.programme.currency)
    return render(
        request,
        "plans/plan_compare.html",
        {
            "case": case,
            "participant": case.participant,
            "plan": plan,
            "old": old,
            "new": new,
            "section_diffs": sections,
            "figures": figures,
            "versions": list(selectors.versions(plan)),
            "currency": case.programme.currency,
            "mine": mine,
            "urls": _urls(case, mine),
        },
    )


@login_required
def plan_pdf(request, case_pk: int, mine: bool = False):
    case = _case(request, case_pk, mine)
    _log_view(request, case)
    plan = selectors.plan_of(case)
    if plan is None or plan.latest_version is None:
        raise Http404
    version = plan.latest_version
    requested = request.GET.get("version")
    if requested == "approved" and plan.approved_version_id:
        version = selectors.version_of(plan, plan.approved_version.number)
    elif requested:
        number = positive_int(requested)
        if number is None:
            raise Http404
        version = selectors.version_of(plan, number)
    plan.case = case
    content = pdf.plan_pdf(plan, version)
    filename = f"business-plan-{slugify(case.participant.full_name) or case.pk}-v{version.number}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Staff actions (POST only) ----------------------------------------------------------------


def _act(request, case, action, success: str, anchor: str = ""):
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(_url("detail", case, False, anchor))


@login_required
@require_POST
def plan_comment(request, case_pk: int):
    case = selectors.case_for_staff(request.user, case_pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment could not be saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(_url("detail", case, False))
    data = form.cleaned_data
    return _act(
        request,
        case,
        lambda: services.comment_add(case=case, by=request.user, section=data["section"], text=data["text"]),
        _("The comment was saved."),
        f"#section-{data['section']}",
    )


@login_required
@require_POST
def plan_submit(request, case_pk: int):
    case = selectors.case_for_staff(request.user, case_pk)
    return _act(
        request,
        case,
        lambda: services.plan_submit(case=case, by=request.user),
        _("The plan was submitted for review."),
    )


@login_required
@require_POST
def plan_approve(request, case_pk: int):
    case = selectors.case_for_staff(request.user, case_pk)
    form = ApproveForm(request.POST)
    move = form.cleaned_data["move_case"] if form.is_valid() else ""
    return _act(
        request,
        case,
        lambda: services.plan_approve(case=case, by=request.user, move_case=move),
        _("The plan was approved.") + (" " + _("The case moved on.") if move else ""),
    )


@login_required
@require_POST
def plan_return(request, case_pk: int):
    case = selectors.case_for_staff(request.user, case_pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs to change. Nothing was changed."))
        return redirect(_url("detail", case, False))
    return _act(
        request,
        case,
        lambda: services.plan_return(case=case, by=request.user, reason=form.cleaned_data["reason"]),
        _("The plan was returned to the participant and her adviser."),
    )
