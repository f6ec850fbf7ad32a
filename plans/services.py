"""Every write to a business plan: atomic, access re-checked, logged on the case's timeline."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from coaching import services as coaching_services
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile, Stage

from . import budget, permissions
from .models import BusinessPlan, PlanStatus, PlanVersion, SectionComment
from .sections import COMMENT_TARGETS, SECTION_KEYS

MAX_SECTION_LENGTH = 20_000
# After approval the case can move straight on; which way depends on whether a loan is asked for.
MOVE_ON = ("start_loan", "skip_loan")


def _log(case: CaseFile, *, by, note: str, data: dict) -> None:
    # The coaching timeline has no plan-specific kind (adding one means a coaching migration),
    # so plan events are "details updated" with a readable note and a `plan` marker in data.
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.UPDATED, actor=by, note=note, data={"plan": True, **data})


def _locked_plan(case: CaseFile) -> BusinessPlan:
    """The case's plan, created on first use, with its row locked for this transaction."""
    BusinessPlan.objects.get_or_create(case=case)
    plan = BusinessPlan.objects.select_for_update(of=("self",)).select_related("latest_version").get(case=case)
    plan.case = case
    return plan


def _save_version(*, case: CaseFile, by, sections: dict | None = None, budget_data: dict | None = None) -> PlanVersion:
    if not permissions.can_read(by, case):
        raise NotAllowed(_("You do not have access to this plan."))
    with transaction.atomic():
        plan = _locked_plan(case)
        if not permissions.can_edit(by, case, plan):
            if plan.is_locked:
                raise Refused(_("The plan is being reviewed. It can be changed again when the review is done."))
            if case.state not in permissions.PLAN_STAGES:
                raise Refused(_("The plan can be written from the coaching stage until the case is closed."))
            raise NotAllowed(_("Only the participant and her adviser can change this plan."))
        latest = plan.latest_version
        new_sections = dict(latest.sections) if latest else dict.fromkeys(SECTION_KEYS, "")
        new_budget = dict(latest.budget) if latest else budget.empty_data()
        if sections is not None:
            new_sections.update({key: sections[key] for key in SECTION_KEYS if key in sections})
        if budget_data is not None:
            new_budget = budget_data
        if latest and latest.sections == new_sections and latest.budget == new_budget:
            return latest  # nothing changed: no empty version
        version = PlanVersion.objects.create(
            plan=plan,
            number=(latest.number if latest else 0) + 1,
            sections=new_sections,
            budget=new_budget,
            created_by=by,
            changed="budget" if budget_data is not None else "sections",
        )
        BusinessPlan.objects.filter(pk=plan.pk).update(latest_version=version, updated_at=timezone.now())
    return version


def plan_save_sections(*, case: CaseFile, by, sections: dict[str, str]) -> PlanVersion:
    """Save the text sections as a new version (the budget is carried over)."""
    unknown = set(sections) - set(SECTION_KEYS)
    if unknown:
        raise Refused(_("Unknown section."))
    clean = {}
    for key, text in sections.items():
        text = (text or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_SECTION_LENGTH:
            raise Refused(_("A section can be at most %(n)s characters.") % {"n": MAX_SECTION_LENGTH})
        clean[key] = text
    return _save_version(case=case, by=by, sections=clean)


def plan_save_budget(*, case: CaseFile, by, data: budget.BudgetInput) -> PlanVersion:
    """Save the budget (validated by plans.forms.BudgetForm) as a new version."""
    return _save_version(case=case, by=by, budget_data=budget.to_data(data))


def comment_add(*, case: CaseFile, by, section: str, text: str) -> SectionComment:
    """An adviser's comment on a section of the latest version."""
    if not permissions.can_comment(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can comment on this plan."))
    if section not in COMMENT_TARGETS:
        raise Refused(_("Unknown section."))
    text = (text or "").strip()
    if not text:
        raise Refused(_("The comment is empty."))
    with transaction.atomic():
        plan = _locked_plan(case)
        if plan.latest_version is None:
            raise Refused(_("There is nothing to comment on yet."))
        return SectionComment.objects.create(version=plan.latest_version, section=section, author=by, text=text)


def plan_submit(*, case: CaseFile, by) -> BusinessPlan:
    """The adviser sends the latest version for review."""
    if not permissions.can_submit(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can submit this plan."))
    with transaction.atomic():
        plan = _locked_plan(case)
        if plan.latest_version is None:
            raise Refused(_("The plan is empty."))
        if plan.status == PlanStatus.SUBMITTED:
            return plan
        if plan.approved_version_id == plan.latest_version_id:
            raise Refused(_("This version is already approved."))
        _transition(plan, plan.submit, by, by=by, at=timezone.now())
        _log(
            case,
            by=by,
            note=_("Business plan submitted for review (version %(n)s).") % {"n": plan.latest_version.number},
            data={"plan_status": plan.status, "version": plan.latest_version.number},
        )
    return plan


def plan_approve(*, case: CaseFile, by, move_case: str = "") -> BusinessPlan:
    """The reviewer approves the submitted version; it becomes the one the loan application uses.

    With `move_case` ("start_loan" or "skip_loan") the case moves on in the same transaction,
    through coaching's own transition service, so its checks and timeline apply unchanged.
    """
    if move_case and move_case not in MOVE_ON:
        raise Refused(_("There is no such step."))
    with transaction.atomic():
        plan = _locked_plan(case)
        if not permissions.can_review(by, plan):
            raise NotAllowed(_("Only the region lead (or, where there is none, the adviser) can approve this plan."))
        if plan.status == PlanStatus.APPROVED and plan.approved_version_id == plan.submitted_version_id:
            return plan
        if plan.status != PlanStatus.SUBMITTED:
            raise Refused(_("Only a submitted plan can be approved."))
        _transition(plan, plan.approve, by, by=by, at=timezone.now())
        version = plan.approved_version
        number = PlanVersion.objects.filter(pk=version.pk).values_list("number", flat=True).get()
        _log(
            case,
            by=by,
            note=_("Business plan approved (version %(n)s).") % {"n": number},
            data={"plan_status": plan.status, "version": number},
        )
        if move_case:
            if case.state != Stage.BUSINESS_PLAN:
                raise Refused(_("The case is not in the business plan stage, so it cannot move on from there."))
            coaching_services.case_transition(
                case_id=case.pk, by=by, name=move_case, expected_state=Stage.BUSINESS_PLAN
            )
    return plan


def plan_return(*, case: CaseFile, by, reason: str) -> BusinessPlan:
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say what needs to change."))
    with transaction.atomic():
        plan = _locked_plan(case)
        if not permissions.can_review(by, plan):
            raise NotAllowed(_("Only the region lead (or, where there is none, the adviser) can return this plan."))
        if plan.status != PlanStatus.SUBMITTED:
            raise Refused(_("Only a submitted plan can be returned."))
        _transition(plan, plan.return_for_changes, by, reason=reason)
        _log(
            case,
            by=by,
            note=_("Business plan returned: %(reason)s") % {"reason": reason},
            data={"plan_status": plan.status},
        )
    return plan


def _transition(plan: BusinessPlan, method, user, **kwargs) -> None:
    if not (can_proceed(method) and has_transition_perm(method, user)):
        raise NotAllowed(_("You may not take this step."))
    method(**kwargs)
    try:
        plan.save()
    except ConcurrentTransition as exc:
        raise Refused(_("Someone else changed this plan at the same moment. Nothing was changed.")) from exc
