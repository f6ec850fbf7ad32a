"""The demo data for this app loads, and loading it twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portfolio import selectors
from portfolio.models import CreditStatement, FollowUpVisit, SavingsEntry, SavingsGroup, SavingsMeeting

pytestmark = pytest.mark.django_db


def _counts():
    return (
        SavingsGroup.objects.count(),
        SavingsEntry.objects.count(),
        SavingsMeeting.objects.count(),
        FollowUpVisit.objects.count(),
        CreditStatement.objects.count(),
    )


def test_seed_demo_twice():
    call_command("seed_demo", quiet=True)
    first = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == first
    group = SavingsGroup.objects.get(region__slug="orebro")
    members = selectors.members_with_balances(group)
    assert len(members) >= 2 and group.meetings.exists()
    assert any(m.balance * 3 >= m.loan_need for m in members)  # one member past a third of her need
    assert FollowUpVisit.objects.filter(case__participant__email="borrower@example.com").exists()
    assert CreditStatement.objects.filter(participant__email="borrower@example.com", revoked_at__isnull=True).exists()
