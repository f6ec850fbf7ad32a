"""Who may do what with a business plan. Services re-check these; templates only mirror them."""

from __future__ import annotations

from coaching.models import CaseFile, Stage
from neem import access
from neem.models import Membership, Role

# A plan is written from coaching on and stays readable (not editable) once the case is finished.
PLAN_STAGES = frozenset({Stage.COACHING, Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP})


def is_own_case(user, case: CaseFile) -> bool:
    """The participant herself. Needs case.participant loaded."""
    return bool(user and user.is_authenticated and case.participant.user_id == user.pk)


def can_read(user, case: CaseFile) -> bool:
    return is_own_case(user, case) or access.can_view_case(user, case)


def can_edit(user, case: CaseFile, plan=None) -> bool:
    """The participant writes; the assigned adviser (or region lead) may write with her."""
    if case.state not in PLAN_STAGES:
        return False
    if plan is not None and plan.is_locked:
        return False
    return is_own_case(user, case) or access.can_work_on_case(user, case)


def can_comment(user, case: CaseFile) -> bool:
    return access.can_work_on_case(user, case)


def can_submit(user, case: CaseFile) -> bool:
    return case.state in PLAN_STAGES and access.can_work_on_case(user, case)


def region_has_lead(region_id: int) -> bool:
    return Membership.objects.filter(region_id=region_id, role=Role.REGION_LEAD, user__is_active=True).exists()


def can_review(user, plan) -> bool:
    """Four eyes: the region lead approves what the adviser submitted, never her own submission.

    Only where the region has no lead does the assigned adviser approve alone.
    """
    case = plan.case
    scope = access.scope_of(user)
    if region_has_lead(case.region_id):
        return case.region_id in scope.lead_regions and plan.submitted_by_id != user.pk
    return case.adviser_id == user.pk and case.region_id in scope.adviser_regions
