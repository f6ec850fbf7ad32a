"""The demo's indicators, and marking social enterprises."""

from __future__ import annotations

from decimal import Decimal

import pytest

from neem.models import Membership, ProgrammeTarget, Role
from outcomes import demo
from outcomes.models import CaseOutcomeDetail, Indicator
from tests.factories import CaseFileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_turns_the_programme_targets_into_indicators_once(world):
    ProgrammeTarget.objects.create(
        programme=world.programme,
        code="companies_started",
        label="Start a company",
        unit="percent",
        minimum=20,
        maximum=30,
    )
    ProgrammeTarget.objects.create(
        programme=world.programme, code="mobilised", label="Mobilise", unit="count", minimum=180
    )

    first = demo.seed(programme=world.programme)
    again = demo.seed(programme=world.programme)

    assert first == 2 + len(demo.EXTRA)
    assert again == 0
    companies = Indicator.objects.get(programme=world.programme, code="companies_started")
    assert (companies.kind, companies.unit, companies.target_min, companies.target_max) == (
        "companies_started",
        "percent",
        Decimal(20),
        Decimal(30),
    )
    assert Indicator.objects.get(code="par30").lower_is_better


def test_a_manager_marks_social_enterprises(world, client_for):
    company = CaseFileFactory(region=world.north, state="closed", outcome="company_started")
    other = CaseFileFactory(region=world.south, state="closed", outcome="company_started")
    client = client_for(world.manager)
    assert company.participant.last_name in client.get("/outcomes/social-enterprises/").content.decode()

    response = client.post("/outcomes/social-enterprises/", {"social": [str(company.pk)]})

    assert response.status_code == 302
    assert CaseOutcomeDetail.objects.get(case=company).social_enterprise is True
    assert CaseOutcomeDetail.objects.get(case=other).social_enterprise is False


@pytest.mark.parametrize("who", ["lead", "adviser", "committee"])
def test_only_managers_mark_social_enterprises(world, client_for, who):
    company = CaseFileFactory(region=world.north, state="closed", outcome="company_started")

    response = client_for(getattr(world, who)).post("/outcomes/social-enterprises/", {"social": [str(company.pk)]})

    assert response.status_code == 403
    assert not CaseOutcomeDetail.objects.exists()


def test_an_evaluator_sees_suppressed_breakdowns(world, client_for):
    evaluator = UserFactory()
    Membership.objects.create(user=evaluator, programme=world.programme, role=Role.EVALUATOR)
    Indicator.objects.create(programme=world.programme, kind="mobilised", label="Mobilised", target_min=10)

    body = client_for(evaluator).get("/outcomes/").content.decode()
    by_gender = body.split("By Gender", 1)[1].split("</table>", 1)[0]

    assert "<td>&lt;5</td>" in by_gender
    assert "<td>1</td>" not in by_gender and "<td>2</td>" not in by_gender
