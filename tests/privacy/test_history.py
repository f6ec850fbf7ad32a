"""History: every model that holds a decision or money keeps who changed what; the case record shows it."""

from __future__ import annotations

import pytest
from django.apps import apps

from plans import services as plan_services

pytestmark = pytest.mark.django_db

# Decisions and money. Immutable, append-only rows need no history (they are never changed): the loan ledger
# (LedgerEntry, Allocation), the savings ledger (SavingsEntry), plan versions, reschedules (a new row per
# decision; the loan's own history records the change), Stripe events, instalments (replaced, never edited:
# a reschedule adds a new version and marks the old rows inactive).
WITH_HISTORY = [
    "coaching.Participant",
    "coaching.CaseFile",
    "coaching.Note",
    "coaching.Curriculum",
    "coaching.ModuleProgress",
    "coaching.ItemCheck",
    "coaching.Attendance",
    "plans.BusinessPlan",
    "loans.LoanProduct",
    "loans.LendingPolicy",
    "loans.LoanApplication",
    "loans.Vote",
    "loans.Loan",
    "loans.OnlinePayment",
    "portfolio.SavingsPolicy",
    "portfolio.SavingsMember",
    "portfolio.CreditStatement",
    "portfolio.FollowUpVisit",
    "outcomes.Indicator",
    "outcomes.CaseOutcomeDetail",
    "neem.ProgrammeTarget",
    "privacy.RetentionRule",
]


@pytest.mark.parametrize("label", WITH_HISTORY)
def test_decision_and_money_models_keep_history(label):
    model = apps.get_model(label)
    assert getattr(model, "history", None) is not None, f"{label} has no django-simple-history"


def test_case_record_shows_who_approved_the_plan(world, client_for):
    case = world.case
    plan_services.plan_save_sections(case=case, by=world.adviser, sections={"business_idea": "A tailor's shop."})
    plan_services.plan_submit(case=case, by=world.adviser)
    # Through the page, as the region lead does it: the request says who changed the row.
    assert client_for(world.lead).post(f"/cases/{case.pk}/plan/approve/", {}).status_code == 302

    response = client_for(world.adviser).get(f"/cases/{case.pk}/record/")

    changes = response.context["changes"]
    plan_changes = [c for c in changes if str(c["model"]) == "business plan"]
    assert plan_changes[0]["by"] == world.lead
    assert any(field["new"] == "approved" for field in plan_changes[0]["changes"])
    assert "Business plan: status" in response.content.decode()
