"""A lending world with the programme's bank account and Bea's active loan under a known reference."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from banking.models import BankAccount
from loans.models import Loan
from tests.loans.lending_world import active_loan, lending_world

FILES = Path(__file__).parent / "files"
BEA_REFERENCE = "1234567806"  # what the hand-written statements in files/ carry


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture
def bank(db):
    world = lending_world()
    world.account = BankAccount.objects.create(
        programme=world.programme,
        holder_name="Neem Test Programme ideell förening",
        organisation_number="802400-1234",
        iban="SE4550000000058398257466",
        bic="ESSESESS",
    )
    loan = active_loan(world, on=date(2026, 1, 15))
    Loan.objects.filter(pk=loan.pk).update(payment_reference=BEA_REFERENCE)
    world.loan = Loan.objects.get(pk=loan.pk)
    return world
