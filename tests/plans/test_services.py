"""Versions, comments, the review with four eyes, and the gate to the loan stage."""

from decimal import Decimal

import pytest

from coaching import services as coaching_services
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile, Stage
from neem.models import Membership
from plans import selectors, services
from plans.budget import BudgetInput, FixedCost, StartupLine
from plans.models import BusinessPlan, PlanStatus, PlanVersion

from .conftest import fresh

pytestmark = pytest.mark.django_db

D = Decimal


def small_budget(loan="20000") -> BudgetInput:
    return BudgetInput(
        startup=[StartupLine("equipment", "Oven", D("15000"))],
        own_savings=D("5000"),
        loan=D(loan),
        revenue=[D("6000")] * 12,
        cogs_percent=D("30"),
        fixed_costs=[FixedCost("Rent", D("2500"))],
    )


def written_plan(case, by) -> BusinessPlan:
    services.plan_save_sections(case=case, by=by, sections={"business_idea": "Tailoring for the neighbourhood."})
    services.plan_save_budget(case=case, by=by, data=small_budget())
    return BusinessPlan.objects.get(case=case)


# --- Versions ----------------------------------------------------------------------------------


def test_each_save_is_a_new_numbered_version_that_keeps_the_other_part(case, participant_user, adviser):
    v1 = services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Catering."})
    v2 = services.plan_save_budget(case=case, by=participant_user, data=small_budget())
    v3 = services.plan_save_sections(case=case, by=adviser, sections={"marketing": "Instagram and the market hall."})

    assert [v1.number, v2.number, v3.number] == [1, 2, 3]
    assert v2.sections["business_idea"] == "Catering."
    assert v3.sections["business_idea"] == "Catering."
    assert v3.budget == v2.budget
    assert v3.budget["financing"]["loan"] == "20000"
    assert v1.created_by == participant_user and v3.created_by == adviser
    plan = BusinessPlan.objects.get(case=case)
    assert plan.latest_version == v3
    assert PlanVersion.objects.get(pk=v1.pk).sections["marketing"] == ""


def test_saving_the_same_text_again_makes_no_empty_version(case, participant_user):
    v1 = services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Catering."})
    again = services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": " Catering.\r\n"})
    assert again.pk == v1.pk
    assert PlanVersion.objects.count() == 1


def test_a_version_cannot_be_changed_afterwards(case, participant_user):
    version = services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Catering."})
    version.sections = {"business_idea": "rewritten history"}
    with pytest.raises(ValueError):
        version.save()


def test_diff_of_two_versions_per_section(case, participant_user):
    services.plan_save_sections(
        case=case, by=participant_user, sections={"business_idea": "Catering.\nLunch boxes.", "marketing": "Flyers."}
    )
    services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Catering.\nWedding cakes."})
    services.plan_save_budget(case=case, by=participant_user, data=small_budget())
    plan = BusinessPlan.objects.get(case=case)
    v1, v3 = selectors.version_of(plan, 1), selectors.version_of(plan, 3)

    sections, figures = selectors.diff_versions(v1, v3, "SEK")

    idea = next(s for s in sections if s.key == "business_idea")
    assert idea.changed
    assert idea.lines == [(" ", "Catering."), ("-", "Lunch boxes."), ("+", "Wedding cakes.")]
    assert not next(s for s in sections if s.key == "marketing").changed
    capital = figures[0]
    assert (capital.old, capital.new, capital.changed) == (D("0"), D("15000.00"), True)


def test_strangers_and_readers_cannot_write_the_plan(case, colleague, stranger, other_participant_user):
    for user in (colleague, stranger, other_participant_user):
        with pytest.raises(NotAllowed):
            services.plan_save_sections(case=case, by=user, sections={"business_idea": "Not mine."})
    assert not PlanVersion.objects.exists()


def test_the_plan_is_not_written_before_coaching(case, participant_user):
    CaseFile.objects.filter(pk=case.pk).update(state=Stage.INTAKE)
    with pytest.raises(Refused):
        services.plan_save_sections(case=fresh(case), by=participant_user, sections={"business_idea": "Too early."})


def test_comments_belong_to_a_section_of_the_latest_version(case, participant_user, adviser, colleague):
    written_plan(case, participant_user)
    comment = services.comment_add(case=case, by=adviser, section="budget", text="Check the rent.")
    assert comment.version.number == 2
    assert selectors.comments_by_section(BusinessPlan.objects.get(case=case))["budget"] == [comment]
    with pytest.raises(NotAllowed):
        services.comment_add(case=case, by=colleague, section="budget", text="Not my case.")
    with pytest.raises(NotAllowed):
        services.comment_add(case=case, by=participant_user, section="budget", text="Commenting on myself.")
    with pytest.raises(Refused):
        services.comment_add(case=case, by=adviser, section="nonsense", text="?")


# --- Review ------------------------------------------------------------------------------------


def test_the_adviser_submits_and_the_region_lead_approves(case, participant_user, adviser, lead):
    written_plan(case, participant_user)

    services.plan_submit(case=case, by=adviser)
    plan = services.plan_approve(case=case, by=lead)

    plan = BusinessPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_version.number == 2
    assert plan.approved_by == lead
    notes = list(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    assert "Business plan approved (version 2)." in notes
    assert "Business plan submitted for review (version 2)." in notes


def test_nobody_edits_while_the_plan_is_reviewed(case, participant_user, adviser):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)
    with pytest.raises(Refused):
        services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Sneaky change."})
    assert PlanVersion.objects.count() == 2


def test_wrong_roles_cannot_submit_or_approve(case, participant_user, adviser, lead, colleague, stranger):
    written_plan(case, participant_user)
    for user in (participant_user, colleague, stranger):
        with pytest.raises(NotAllowed):
            services.plan_submit(case=case, by=user)
    services.plan_submit(case=case, by=adviser)
    # The adviser who submitted cannot approve where the region has a lead (four eyes).
    for user in (adviser, participant_user, colleague, stranger):
        with pytest.raises(NotAllowed):
            services.plan_approve(case=case, by=user)
        with pytest.raises(NotAllowed):
            services.plan_return(case=case, by=user, reason="No.")
    assert BusinessPlan.objects.get(case=case).status == PlanStatus.SUBMITTED


def test_a_lead_cannot_approve_her_own_submission(case, participant_user, lead):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=lead)
    with pytest.raises(NotAllowed):
        services.plan_approve(case=case, by=lead)


def test_without_a_region_lead_the_assigned_adviser_approves(case, participant_user, adviser, lead):
    Membership.objects.filter(user=lead).delete()
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)
    plan = services.plan_approve(case=case, by=adviser)
    assert plan.status == PlanStatus.APPROVED


def test_a_returned_plan_carries_the_reason_and_can_be_changed_and_resubmitted(case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)
    with pytest.raises(Refused):
        services.plan_return(case=case, by=lead, reason="  ")

    services.plan_return(case=case, by=lead, reason="The rent is too low for Södermalm.")

    plan = BusinessPlan.objects.get(case=case)
    assert plan.status == PlanStatus.RETURNED
    assert plan.return_reason == "The rent is too low for Södermalm."
    services.plan_save_budget(case=case, by=participant_user, data=small_budget(loan="25000"))
    services.plan_submit(case=case, by=adviser)
    assert BusinessPlan.objects.get(case=case).submitted_version.number == 3


def test_approval_fixes_the_version_while_the_living_plan_goes_on(case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)
    services.plan_approve(case=case, by=lead)
    services.plan_save_sections(case=case, by=participant_user, sections={"marketing": "A stall at the market."})
    plan = BusinessPlan.objects.get(case=case)
    assert plan.latest_version.number == 3
    assert plan.approved_version.number == 2
    assert plan.status == PlanStatus.APPROVED


# --- The gate ----------------------------------------------------------------------------------


def test_the_case_cannot_move_to_the_loan_before_approval_and_can_after(case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    with pytest.raises(Refused, match="business plan must be approved"):
        coaching_services.case_transition(case_id=case.pk, by=adviser, name="start_loan")
    services.plan_submit(case=case, by=adviser)
    with pytest.raises(Refused):
        coaching_services.case_transition(case_id=case.pk, by=adviser, name="start_loan")
    services.plan_approve(case=case, by=lead)

    coaching_services.case_transition(case_id=case.pk, by=adviser, name="start_loan")

    assert fresh(case).state == Stage.LOAN


def test_approval_can_move_the_case_on_in_the_same_step(case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)

    services.plan_approve(case=case, by=lead, move_case="start_loan")

    assert fresh(case).state == Stage.LOAN
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION, transition="start_loan").exists()


def test_approval_that_cannot_move_the_case_changes_nothing(case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    services.plan_submit(case=case, by=adviser)
    CaseFile.objects.filter(pk=case.pk).update(state=Stage.COACHING)

    with pytest.raises(Refused):
        services.plan_approve(case=fresh(case), by=lead, move_case="start_loan")

    assert BusinessPlan.objects.get(case=case).status == PlanStatus.SUBMITTED
    assert fresh(case).state == Stage.COACHING
