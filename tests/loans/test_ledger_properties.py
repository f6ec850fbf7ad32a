"""Random sequences of repayments, reversals and penalties never break the ledger's invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans import services
from loans.models import EntryKind, LedgerEntry, LoanStatus
from tests.loans.lending_world import active_loan, assert_ledger_consistent, lending_world, product

pytestmark = pytest.mark.django_db

step = st.one_of(
    st.tuples(st.just("pay"), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("4000"), places=2)),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("penalties"), st.integers(min_value=0, max_value=400)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_random_money_sequences_keep_the_ledger_whole(django_db_blocker, steps):
    from django.db import transaction

    with transaction.atomic():
        world = lending_world()
        penalised = product(
            world, name="Penalised", penalty_kind="flat", penalty_value=Decimal("75"), penalty_grace_days=3
        )
        loan = active_loan(world, product_obj=penalised, amount="9000", term=6, on=date(2026, 1, 10))
        day = date(2026, 1, 11)
        paid_in = Decimal("0")
        for kind, value in steps:
            day += timedelta(days=7)
            if kind == "pay" and services.Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE:
                services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=value, on=day)
                paid_in += value
            elif kind == "reverse":
                repayments = list(
                    LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT, reversed_by__isnull=True)
                )
                if repayments:
                    entry = repayments[value % len(repayments)]
                    services.repayment_reverse(by=world.lead, entry_id=entry.pk, reason="test")
                    paid_in -= entry.amount
            elif kind == "penalties":
                services.charge_penalties(loan, as_of=date(2026, 1, 10) + timedelta(days=value))
            assert_ledger_consistent(loan)
        # Money in equals what the repayments (net of reversals) say; nothing lost, nothing doubled.
        repaid = sum(e.amount for e in LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT))
        reversed_ = sum(e.amount for e in LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REVERSAL))
        assert repaid - reversed_ == paid_in
        transaction.set_rollback(True)
