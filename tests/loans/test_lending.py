"""Applications, the committee, the agreement, disbursement, the ledger and arrears."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from coaching import gates
from coaching.errors import NotAllowed, Refused
from coaching.models import NextAction
from loans import services
from loans.models import ApplicationStatus, EntryKind, Instalment, LedgerEntry, Loan, LoanApplication, LoanStatus
from tests.casework_world import make_case
from tests.factories import approve_plan
from tests.loans.lending_world import active_loan, approved_loan, assert_ledger_consistent, lending_world, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return lending_world()


def _application(world, **kwargs):
    values = {
        "by": world.adviser,
        "case": world.case,
        "product": world.product,
        "amount": Decimal("40000"),
        "term": 12,
        "purpose": "An oven",
        "assessment": "Good",
    }
    values.update(kwargs)
    return services.application_create(**values)


# --- Gates ----------------------------------------------------------------------------------------------


def test_application_needs_the_loan_stage(world):
    from coaching.models import CaseFile

    CaseFile.objects.filter(pk=world.case.pk).update(state="coaching")
    world.case = CaseFile.objects.get(pk=world.case.pk)
    with pytest.raises(Refused, match="loan stage"):
        _application(world)


def test_application_names_the_failed_gate(world):
    def not_approved(case):
        return False

    gates.register("business_plan_approved", not_approved)
    try:
        with pytest.raises(Refused, match="business plan is not approved"):
            _application(world)
    finally:
        gates._extra_checks["business_plan_approved"].remove(not_approved)
    assert not LoanApplication.objects.exists()


def test_amount_and_term_outside_the_product_are_refused(world):
    with pytest.raises(Refused, match="between"):
        _application(world, amount=Decimal("100"))
    with pytest.raises(Refused, match="instalments"):
        _application(world, term=60)


def test_an_adviser_of_the_region_who_is_not_assigned_cannot_apply(world):
    with pytest.raises(NotAllowed):
        _application(world, by=world.adviser2)


# --- Committee ------------------------------------------------------------------------------------------


def test_decision_is_refused_before_quorum_and_conflicted_votes_do_not_count(world):
    application = _application(world)
    services.application_submit(by=world.adviser, application_id=application.pk)
    services.vote_cast(by=world.committee, application_id=application.pk, choice="approve")
    services.vote_cast(by=world.committee2, application_id=application.pk, conflict=True)
    with pytest.raises(Refused, match="needs 2 votes"):
        services.application_decide(
            by=world.committee, application_id=application.pk, decision="approved", reasons="ok"
        )
    with pytest.raises(Refused, match="conflict of interest"):
        services.vote_cast(by=world.committee2, application_id=application.pk, choice="approve")
    with pytest.raises(NotAllowed):
        services.application_decide(
            by=world.committee2, application_id=application.pk, decision="approved", reasons="ok"
        )
    services.vote_cast(by=world.committee3, application_id=application.pk, choice="reject", comment="Too big")
    services.application_decide(
        by=world.committee, application_id=application.pk, decision="approved", reasons="Majority"
    )
    application = LoanApplication.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.APPROVED
    assert Loan.objects.get(application=application).status == LoanStatus.AWAITING_ACCEPTANCE


def test_decision_is_final(world):
    loan = approved_loan(world)
    with pytest.raises(Refused, match="final"):
        services.application_decide(
            by=world.committee, application_id=loan.application_id, decision="rejected", reasons="no"
        )
    with pytest.raises(Refused, match="closed"):
        services.vote_cast(by=world.committee3, application_id=loan.application_id, choice="reject")


def test_approval_with_changes_sets_the_loan_amount_and_term(world):
    application = _application(world)
    services.application_submit(by=world.adviser, application_id=application.pk)
    for member in (world.committee, world.committee2):
        services.vote_cast(by=member, application_id=application.pk, choice="approve_changed")
    services.application_decide(
        by=world.committee2,
        application_id=application.pk,
        decision="approved_changed",
        reasons="A smaller oven is enough",
        amount=Decimal("30000"),
        term=18,
    )
    loan = Loan.objects.get(application=application)
    assert (loan.principal, loan.term) == (Decimal("30000.00"), 18)


def test_only_committee_members_vote(world):
    application = _application(world)
    services.application_submit(by=world.adviser, application_id=application.pk)
    for outsider in (world.adviser, world.lead, world.manager):
        with pytest.raises(NotAllowed):
            services.vote_cast(by=outsider, application_id=application.pk, choice="approve")


# --- Agreement and disbursement ------------------------------------------------------------------------


def test_no_disbursement_before_the_agreement_is_accepted(world):
    loan = approved_loan(world)
    with pytest.raises(Refused, match="not accepted"):
        services.loan_disburse(by=world.lead, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="x")
    assert not LedgerEntry.objects.exists()


def test_agreement_needs_the_borrowers_password_and_keeps_the_hash(world):
    loan = approved_loan(world)
    with pytest.raises(Refused, match="password"):
        services.agreement_accept(by=world.borrower_user, loan_id=loan.pk, password="wrong", pdf_bytes=b"%PDF")
    with pytest.raises(NotAllowed):
        services.agreement_accept(by=world.adviser, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF")
    services.agreement_accept(by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF-1.7 x")
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status == LoanStatus.ACCEPTED
    import hashlib

    assert loan.agreement_sha256 == hashlib.sha256(b"%PDF-1.7 x").hexdigest()


def test_disbursement_fixes_the_schedule_and_opens_the_ledger(world):
    loan = active_loan(world, amount="12000", term=12, on=date(2026, 1, 15))
    rows = list(Instalment.objects.filter(loan=loan).order_by("number"))
    assert len(rows) == 12
    assert rows[0].due_date == date(2026, 2, 15)
    assert sum(r.principal for r in rows) == Decimal("12000.00")
    balance = services.ledger_balance(loan)
    assert balance["principal"] == Decimal("12000.00")
    assert balance["interest"] == sum(r.interest for r in rows)
    assert_ledger_consistent(loan)
    with pytest.raises(Refused, match="already"):
        services.loan_disburse(by=world.lead, loan_id=loan.pk, on=date(2026, 1, 16), method="bank", reference="again")


def test_the_adviser_cannot_pay_out(world):
    loan = approved_loan(world)
    services.agreement_accept(by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF")
    with pytest.raises(NotAllowed):
        services.loan_disburse(by=world.adviser, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="x")


# --- Repayments -----------------------------------------------------------------------------------------


def test_repayment_pays_the_oldest_instalment_first_penalty_fee_interest_principal(world):
    loan = active_loan(world, amount="12000", term=12)
    first, second = Instalment.objects.filter(loan=loan).order_by("number")[:2]
    entry = services.repayment_record(
        by=world.adviser, loan_id=loan.pk, amount=first.total + Decimal("100"), on=date(2026, 2, 15)
    )
    allocations = {a.instalment_id: a for a in entry.allocations.all()}
    assert allocations[first.pk].principal == first.principal
    assert allocations[first.pk].interest == first.interest
    assert allocations[second.pk].interest == Decimal("100")  # the rest goes to the next instalment, interest first
    assert allocations[second.pk].principal == 0
    assert_ledger_consistent(loan)


def test_the_same_external_reference_is_applied_once(world):
    loan = active_loan(world)
    a = services.repayment_record(
        by=world.adviser, loan_id=loan.pk, amount=Decimal("500"), on=date(2026, 2, 1), external_reference="BANK-42"
    )
    b = services.repayment_record(
        by=world.adviser, loan_id=loan.pk, amount=Decimal("500"), on=date(2026, 2, 1), external_reference="BANK-42"
    )
    assert a.pk == b.pk
    assert LedgerEntry.objects.filter(kind=EntryKind.REPAYMENT).count() == 1
    assert_ledger_consistent(loan)


def test_a_known_reference_is_not_revealed_to_someone_who_cannot_handle_the_loan(world):
    loan = active_loan(world)
    services.repayment_record(
        by=world.adviser, loan_id=loan.pk, amount=Decimal("500"), on=date(2026, 2, 1), external_reference="BANK-43"
    )
    with pytest.raises(NotAllowed):
        services.repayment_record(
            by=world.south_adviser,
            loan_id=loan.pk,
            amount=Decimal("1"),
            on=date(2026, 2, 1),
            external_reference="BANK-43",
        )


def test_a_reference_recorded_on_one_loan_is_refused_on_another(world):
    first = active_loan(world)
    services.repayment_record(
        by=world.adviser, loan_id=first.pk, amount=Decimal("500"), on=date(2026, 2, 1), external_reference="BANK-44"
    )
    world.case = make_case(world, adviser=world.adviser, state="loan", first="Cai", last="Second")
    approve_plan(world.case, adviser=world.adviser, lead=world.lead)
    world.borrower_user = world.case.participant.user or world.borrower_user
    second = approved_loan(world)
    with pytest.raises(Refused, match="another loan"):
        services.repayment_record(
            by=world.lead, loan_id=second.pk, amount=Decimal("500"), on=date(2026, 2, 1), external_reference="BANK-44"
        )
    assert LedgerEntry.objects.filter(external_reference="BANK-44").get().loan_id == first.pk
    assert not LedgerEntry.objects.filter(loan=second, kind=EntryKind.REPAYMENT).exists()


def test_overpayment_beyond_the_loan_becomes_credit_and_the_loan_is_repaid(world):
    loan = active_loan(world, amount="6000", term=3)
    owed = services.ledger_balance(loan)["owed"]
    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=owed + Decimal("50"), on=date(2026, 2, 1))
    balance = services.ledger_balance(loan)
    assert balance["credit"] == Decimal("50")
    assert balance["owed"] == Decimal("-50")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.REPAID
    assert_ledger_consistent(loan)


def test_reversal_restores_what_was_owed(world):
    loan = active_loan(world)
    before = services.ledger_balance(loan)["owed"]
    entry = services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=Decimal("1500"), on=date(2026, 2, 15))
    services.repayment_reverse(by=world.lead, entry_id=entry.pk, reason="Bounced")
    assert services.ledger_balance(loan)["owed"] == before
    services.repayment_reverse(by=world.lead, entry_id=entry.pk, reason="Bounced again")  # once only
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert_ledger_consistent(loan)


def test_ledger_entries_cannot_be_changed_or_deleted(world):
    loan = active_loan(world)
    entry = LedgerEntry.objects.filter(loan=loan).first()
    entry.amount = Decimal("1")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(loan=loan).update(amount=0)


def test_early_payoff_waives_future_interest_under_the_to_date_rule(world):
    loan = active_loan(world, amount="12000", term=12, on=date(2026, 1, 15))
    quote, waived = services.payoff_quote(loan, date(2026, 3, 20))
    assert waived > 0
    services.early_payoff(by=world.adviser, loan_id=loan.pk, on=date(2026, 3, 20))
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status == LoanStatus.REPAID
    assert services.ledger_balance(loan)["owed"] == 0
    assert LedgerEntry.objects.get(kind=EntryKind.REPAYMENT).amount == quote


# --- Arrears --------------------------------------------------------------------------------------------


def test_penalty_is_charged_once_per_overdue_instalment(world):
    penalised = product(
        world, name="With penalty", penalty_kind="flat", penalty_value=Decimal("150"), penalty_grace_days=5
    )
    loan = active_loan(world, product_obj=penalised, amount="12000", term=12, on=date(2026, 1, 15))
    assert services.charge_penalties(loan, as_of=date(2026, 2, 19)) == 0  # 4 days: within grace
    assert services.charge_penalties(loan, as_of=date(2026, 2, 21)) == 1
    assert services.charge_penalties(loan, as_of=date(2026, 2, 21)) == 0  # idempotent
    assert services.ledger_balance(loan)["penalty"] == Decimal("150")
    position = services.loan_position(loan, date(2026, 2, 21))
    assert position.days_overdue == 6
    assert position.bucket == "1-30"
    assert_ledger_consistent(loan)


def test_arrears_make_a_next_action_that_closes_when_paid(world):
    loan = active_loan(world, amount="12000", term=12, on=date(2026, 1, 15))
    assert not services.arrears_follow_up(loan, as_of=date(2026, 2, 20))  # 5 days: under the threshold
    assert services.arrears_follow_up(loan, as_of=date(2026, 2, 23))  # 8 days
    assert not services.arrears_follow_up(loan, as_of=date(2026, 2, 24))  # once
    action = NextAction.objects.get(case=loan.case, done_at__isnull=True)
    assert action.owner == world.adviser
    first = Instalment.objects.get(loan=loan, number=1)
    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=first.total, on=date(2026, 2, 25))
    assert NextAction.objects.get(pk=action.pk).done_at is not None


def test_delinquency_buckets():
    from loans.position import delinquency_bucket

    assert [delinquency_bucket(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "current",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        ">90",
        ">90",
    ]


def test_reschedule_keeps_the_old_schedule_and_spreads_the_outstanding_principal(world):
    loan = active_loan(world, amount="12000", term=12, on=date(2026, 1, 15))
    first = Instalment.objects.get(loan=loan, number=1)
    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=first.total, on=date(2026, 2, 15))
    outstanding = services.ledger_balance(loan)["principal"]
    with pytest.raises(NotAllowed):
        services.loan_reschedule(
            by=world.adviser, loan_id=loan.pk, term=18, start_date=date(2026, 4, 1), reason="Illness"
        )
    services.loan_reschedule(by=world.lead, loan_id=loan.pk, term=18, start_date=date(2026, 4, 1), reason="Illness")
    assert Instalment.objects.filter(loan=loan, version=1, active=False).count() == 12
    new_rows = Instalment.objects.filter(loan=loan, version=2, active=True)
    assert new_rows.count() == 18
    assert sum(r.principal for r in new_rows) == outstanding
    assert_ledger_consistent(loan)


def test_write_off_is_for_the_manager_and_recoveries_are_recorded(world):
    loan = active_loan(world)
    with pytest.raises(NotAllowed):
        services.loan_write_off(by=world.lead, loan_id=loan.pk, reason="Moved abroad")
    services.loan_write_off(by=world.manager, loan_id=loan.pk, reason="Moved abroad")
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status == LoanStatus.WRITTEN_OFF
    assert services.ledger_balance(loan)["owed"] == 0
    services.recovery_record(by=world.lead, loan_id=loan.pk, amount=Decimal("300"), on=timezone.localdate())
    assert LedgerEntry.objects.filter(kind=EntryKind.RECOVERY, amount=Decimal("300")).exists()
    assert_ledger_consistent(loan)


def test_case_gate_to_follow_up_opens_when_the_loan_is_paid_out(world):
    assert not gates.loan_disbursed_or_settled(world.case)
    active_loan(world)
    assert gates.loan_disbursed_or_settled(world.case)


def test_daily_command_is_idempotent(world):
    from io import StringIO

    from django.core.management import call_command

    penalised = product(
        world, name="With penalty", penalty_kind="percent", penalty_value=Decimal("2"), penalty_grace_days=0
    )
    loan = active_loan(world, product_obj=penalised, on=date(2026, 1, 15))
    out = StringIO()
    call_command("daily", "--as-of", "2026-03-01", stdout=out)
    call_command("daily", "--as-of", "2026-03-01", stdout=out)
    assert LedgerEntry.objects.filter(kind=EntryKind.PENALTY).count() == 1
    assert NextAction.objects.filter(case=loan.case, key__startswith="loan-arrears").count() == 1
    assert_ledger_consistent(loan)


def test_ledger_sums_read_with_the_loans_give_the_same_balance(world):
    """My path sums each loan's ledger in the loans' query (with_ledger_sums): the same balance, credit included."""

    def summed(loan):
        return services.ledger_balance_of(services.with_ledger_sums(Loan.objects.filter(pk=loan.pk)).get())

    loan = approved_loan(world, amount="6000", term=3)
    assert summed(loan) == services.ledger_balance(loan)  # no entries yet: all zero
    services.agreement_accept(
        by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF-1.7 test"
    )
    services.loan_disburse(by=world.lead, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="P-1")
    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=Decimal("1500"), on=date(2026, 2, 1))
    owed = services.ledger_balance(loan)["owed"]
    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=owed + Decimal("50"), on=date(2026, 3, 1))

    assert summed(loan) == services.ledger_balance(loan)
    assert summed(loan)["credit"] == Decimal("50")
