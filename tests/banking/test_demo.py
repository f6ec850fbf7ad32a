"""The demo: the borrower's loan has a reference; a statement with one matched line and one in the queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from banking.models import BankStatement, LineStatus, StatementLine
from loans import reference
from loans.models import LedgerEntry, Loan

pytestmark = pytest.mark.django_db


def _counts():
    return BankStatement.objects.count(), StatementLine.objects.count(), LedgerEntry.objects.count()


def test_seed_demo_twice_shows_a_matched_and_a_waiting_line():
    call_command("seed_demo", quiet=True)
    first = _counts()
    call_command("seed_demo", quiet=True)

    assert _counts() == first
    loan = Loan.objects.get(case__participant__email="borrower@example.com")
    assert reference.is_valid_reference(loan.payment_reference)
    statement = BankStatement.objects.get()
    matched = statement.lines.get(status=LineStatus.MATCHED)
    waiting = statement.lines.get(status=LineStatus.WAITING)
    assert matched.entry.loan_id == loan.pk
    assert waiting.suggested_loan_id == loan.pk  # by her name, written the other way round
