"""Small fixtures for the plan tests, built with the ORM (shared factories live on another branch)."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.models import CaseFile, Participant, Stage
from neem.models import Membership, Programme, Region, Role, User


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password="a-long-test-password", **extra)


@pytest.fixture
def programme(db) -> Programme:
    return Programme.objects.create(
        name="Test programme",
        slug="plans-test",
        currency="SEK",
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
    )


@pytest.fixture
def region(programme) -> Region:
    return Region.objects.create(programme=programme, name="Stockholm", slug="stockholm")


@pytest.fixture
def other_region(programme) -> Region:
    return Region.objects.create(programme=programme, name="Örebro", slug="orebro")


def member(email: str, programme, role, region=None) -> User:
    user = make_user(email, first_name=email.split("@")[0].title())
    Membership.objects.create(user=user, programme=programme, region=region, role=role)
    return user


@pytest.fixture
def adviser(programme, region) -> User:
    return member("adviser@example.com", programme, Role.ADVISER, region)


@pytest.fixture
def lead(programme, region) -> User:
    return member("lead@example.com", programme, Role.REGION_LEAD, region)


@pytest.fixture
def colleague(programme, region) -> User:
    """Another adviser of the same region: reads the case, may not change it."""
    return member("colleague@example.com", programme, Role.ADVISER, region)


@pytest.fixture
def stranger(programme, other_region) -> User:
    """An adviser of another region: may not even see the case."""
    return member("stranger@example.com", programme, Role.ADVISER, other_region)


@pytest.fixture
def participant_user(db) -> User:
    return make_user("amal@example.org", first_name="Amal", last_name="Yusuf")


@pytest.fixture
def participant(participant_user) -> Participant:
    return Participant.objects.create(
        user=participant_user, first_name="Amal", last_name="Yusuf", preferred_language="en"
    )


@pytest.fixture
def other_participant_user(programme, region, adviser) -> User:
    """Another participant, with a case of her own."""
    user = make_user("other@example.org")
    person = Participant.objects.create(user=user, first_name="Noor", last_name="Jaber")
    CaseFile.objects.create(
        participant=person, programme=programme, region=region, adviser=adviser, state=Stage.COACHING
    )
    return user


@pytest.fixture
def case(participant, programme, region, adviser, lead) -> CaseFile:
    return CaseFile.objects.create(
        participant=participant, programme=programme, region=region, adviser=adviser, state=Stage.BUSINESS_PLAN
    )


def fresh(case: CaseFile) -> CaseFile:
    """Re-read the case (refresh_from_db fails on protected FSM fields)."""
    return CaseFile.objects.select_related("participant", "programme", "region", "adviser").get(pk=case.pk)


def budget_post(**overrides) -> dict:
    """A complete, valid POST of the budget form: the sewing studio of test_budget."""
    data = {
        "startup-TOTAL_FORMS": "3",
        "startup-INITIAL_FORMS": "0",
        "startup-MIN_NUM_FORMS": "0",
        "startup-MAX_NUM_FORMS": "20",
        "startup-0-category": "equipment",
        "startup-0-label": "Industrial sewing machine",
        "startup-0-amount": "12000",
        "startup-1-category": "stock",
        "startup-1-label": "Fabric",
        "startup-1-amount": "4000",
        "startup-2-category": "deposits",
        "startup-2-label": "",
        "startup-2-amount": "",
        "fixed-TOTAL_FORMS": "2",
        "fixed-INITIAL_FORMS": "0",
        "fixed-MIN_NUM_FORMS": "0",
        "fixed-MAX_NUM_FORMS": "20",
        "fixed-0-label": "Rent",
        "fixed-0-amount": "2500",
        "fixed-1-label": "",
        "fixed-1-amount": "",
        "budget-own_savings": "5000",
        "budget-loan": "20000",
        "budget-other_financing": "0",
        "budget-cogs_percent": "30",
        "budget-loan_repayment": "900",
        "budget-owner_drawings": "1000",
    }
    for month in range(1, 13):
        data[f"budget-revenue_{month}"] = "6000"
    data.update(overrides)
    return data
