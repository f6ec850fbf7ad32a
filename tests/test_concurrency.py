"""Two requests at once: one wins, the other is refused, nothing is done twice (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from coaching.errors import DomainError
from coaching.models import CaseEvent, CaseFile, Stage
from coaching.services import case_transition
from loans import services as loan_services
from loans.models import EntryKind, LedgerEntry, Loan, LoanStatus

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a no-op on SQLite"),
]


def race(*calls):
    """Run the calls in threads released at the same moment; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except DomainError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_advisers_moving_a_case_at_once_move_it_once(world):
    case = world.case  # in coaching
    results, errors = race(
        lambda: case_transition(
            case_id=case.pk, by=world.adviser, name="withdraw", reason="other", expected_state="coaching"
        ),
        lambda: case_transition(
            case_id=case.pk, by=world.lead, name="withdraw", reason="moved", expected_state="coaching"
        ),
    )
    assert len(results) == 1 and len(errors) == 1
    assert CaseFile.objects.get(pk=case.pk).state == Stage.WITHDRAWN
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).count() == 1


def test_two_disbursements_of_one_loan_pay_out_once():
    from tests.loans.lending_world import approved_loan, lending_world

    world = lending_world()
    loan = approved_loan(world)
    loan_services.agreement_accept(by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF")
    results, errors = race(
        lambda: loan_services.loan_disburse(
            by=world.lead, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="A"
        ),
        lambda: loan_services.loan_disburse(
            by=world.manager, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="B"
        ),
    )
    assert len(results) == 1 and len(errors) == 1
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE
    assert LedgerEntry.objects.filter(loan=loan, kind=EntryKind.DISBURSEMENT).count() == 1


def test_the_same_bank_reference_posted_twice_at_once_is_applied_once():
    from tests.loans.lending_world import active_loan, assert_ledger_consistent, lending_world

    world = lending_world()
    loan = active_loan(world)
    results, errors = race(
        *[
            lambda: loan_services.repayment_record(
                by=world.adviser,
                loan_id=loan.pk,
                amount=Decimal("700"),
                on=date(2026, 2, 15),
                external_reference="BG-1",
            )
            for _ in range(3)
        ]
    )
    assert not errors
    assert len({entry.pk for entry in results}) == 1
    assert LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).count() == 1
    assert_ledger_consistent(loan)
