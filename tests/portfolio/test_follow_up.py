"""Follow-up visits against the intake baseline, the outcome selectors, and the portfolio page's access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coaching.errors import NotAllowed
from coaching.models import Participant
from portfolio import selectors, services
from portfolio.models import FollowUpVisit
from tests.loans.lending_world import active_loan, lending_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = lending_world()
    Participant.objects.filter(pk=world.case.participant_id).update(household_income=Decimal("12000"))
    world.case.participant.household_income = Decimal("12000")
    return world


def visit(world, on, status="running", income=None, **kwargs):
    return services.follow_up_record(
        by=world.adviser, case_id=world.case.pk, on=on, company_status=status, household_income=income, **kwargs
    )


def test_income_change_is_the_latest_visit_against_the_intake_baseline(world):
    assert selectors.income_change(world.case) is None
    visit(world, date(2026, 3, 1), income=Decimal("13000"))
    visit(world, date(2026, 6, 1), income=Decimal("15600"), turnover=Decimal("40000"), employees=1)
    visit(world, date(2026, 7, 1))  # no income figure: the June one still counts
    # 15600 − 12000 = 3600, which is 30.0 % of 12000.
    assert selectors.income_change(world.case) == Decimal("3600.00")
    assert selectors.income_change_percent(world.case) == Decimal("30.0")


def test_no_baseline_no_change(world):
    Participant.objects.filter(pk=world.case.participant_id).update(household_income=None)
    world.case.participant.household_income = None
    visit(world, date(2026, 3, 1), income=Decimal("13000"))
    assert selectors.income_change(world.case) is None


def test_business_running_twelve_months_after_the_payout(world):
    active_loan(world, on=date(2025, 1, 15))
    assert selectors.business_running_after(world.case) is None  # nobody has looked
    visit(world, date(2025, 9, 1), status="running")
    assert selectors.business_running_after(world.case) is None  # too early to tell
    visit(world, date(2026, 1, 15), status="running")
    assert selectors.business_running_after(world.case) is True
    visit(world, date(2026, 2, 1), status="paused")
    assert selectors.business_running_after(world.case) is False


def test_a_business_closed_before_twelve_months_is_not_running_after(world):
    active_loan(world, on=date(2025, 6, 1))
    visit(world, date(2025, 10, 1), status="closed")
    assert selectors.business_running_after(world.case) is False


def test_only_the_assigned_adviser_or_lead_records_visits(world):
    with pytest.raises(NotAllowed):
        services.follow_up_record(
            by=world.adviser2, case_id=world.case.pk, on=date(2026, 3, 1), company_status="running"
        )
    services.follow_up_record(by=world.lead, case_id=world.case.pk, on=date(2026, 3, 1), company_status="running")


def test_recording_a_visit_through_the_page_and_seeing_the_change(client, world):
    client.force_login(world.adviser)
    url = reverse("portfolio:follow_up_new", args=[world.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2026-03-01", "company_status": "bogus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        url,
        {
            "date": "2026-03-01",
            "company_status": "running",
            "turnover": "30000",
            "profit": "-500",
            "household_income": "14000",
        },
    )
    # Back to the case, on the tab with the follow-up panel.
    assert response["Location"] == f"/cases/{world.case.pk}/?tab=loan#follow-up"
    page = client.get(response["Location"]).content.decode()
    assert "Business follow-up" in page and "2000.00" in page  # 14000 − 12000


def test_wrong_roles_on_the_follow_up_page(client, world):
    url = reverse("portfolio:follow_up_new", args=[world.case.pk])
    client.force_login(world.adviser2)  # same region, not her case: reads, does not record
    assert client.get(url).status_code == 403
    client.force_login(world.south_adviser)
    assert client.get(url).status_code == 404
    client.force_login(world.borrower_user)
    assert client.post(url, {"date": "2026-03-01", "company_status": "running"}).status_code == 404
    assert not FollowUpVisit.objects.exists()


# --- The portfolio page ---------------------------------------------------------------------------------


def test_the_manager_sees_the_portfolio_with_breakdowns(client, world):
    active_loan(world, on=date(2026, 1, 15), amount="12000")
    client.force_login(world.manager)
    response = client.get(reverse("portfolio:portfolio"), {"as_of": "2026-01-31", "period_from": "2026-01-01"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "12000.00" in text and "By region" in text and "By adviser" in text and "North" in text
    assert response.context["figures"].disbursed_count == 1


def test_the_region_lead_sees_only_her_region(client, world):
    active_loan(world, on=date(2026, 1, 15), amount="12000")
    client.force_login(world.south_lead)
    response = client.get(reverse("portfolio:portfolio"), {"as_of": "2026-01-31"})
    assert response.status_code == 200
    assert response.context["figures"].outstanding == Decimal("0.00")
    client.force_login(world.lead)
    assert client.get(reverse("portfolio:portfolio"), {"as_of": "2026-01-31"}).context[
        "figures"
    ].outstanding == Decimal("12000.00")


def test_a_bad_period_shows_the_error_by_the_field(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("portfolio:portfolio"), {"as_of": "2026-01-31", "period_from": "2026-02-01"})
    assert response.status_code == 200
    assert "must start on or before" in response.content.decode()


def test_others_get_403_on_the_portfolio(client, world):
    url = reverse("portfolio:portfolio")
    for user in (world.adviser, world.committee, world.admin, world.borrower_user):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.logout()
    assert client.get(url).status_code == 302


def _figures(case, visits=None):
    return (
        selectors.income_change(case, visits),
        selectors.income_change_percent(case, visits),
        selectors.business_running_after(case, visits=visits),
    )


def test_the_panel_works_its_figures_out_from_the_visits_it_read_as_the_queries_do(world):
    """The case page's follow-up panel passes the visits it already read (no query per figure)."""
    active_loan(world, on=date(2025, 1, 15))
    steps = [
        {"on": date(2025, 9, 1), "income": Decimal("13000")},
        {"on": date(2026, 1, 20), "status": "running", "income": Decimal("15600")},
        {"on": date(2026, 2, 1), "status": "paused"},
    ]
    seen = set()
    for step in steps:
        visit(world, **step)
        read = _figures(world.case)
        assert _figures(world.case, list(selectors.visits(world.case))) == read
        seen.add(read)
    assert len(seen) == 3  # each visit changed a figure, so the comparison was not of constants
