"""Importing bank statements: matched by reference into the ledger once, the rest queued, bad files refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from banking import services
from banking.models import BankStatement, LineDecision, LineStatus, StatementLine
from coaching.errors import NotAllowed, Refused
from loans import services as loan_services
from loans.models import EntryKind, LedgerEntry, Loan, LoanStatus
from tests.loans.lending_world import assert_ledger_consistent

from .conftest import read

pytestmark = pytest.mark.django_db


def do_import(world, name: str, data: bytes | None = None, by=None):
    return services.statement_import(
        by=by or world.manager, programme=world.programme, data=data if data is not None else read(name), file_name=name
    )


def lines_by_ref(statement) -> dict[str, StatementLine]:
    return {line.bank_reference: line for line in statement.lines.all()}


def repayments(loan) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).order_by("id"))


def test_several_entries_are_matched_queued_or_left_alone(bank):
    result = do_import(bank, "statement_several.xml")

    lines = lines_by_ref(result.statement)
    assert result.statement.statement_id == "STMT-2026-02-15"
    assert len(lines) == 6  # five entries, one of them a batch of two
    # By the structured reference: a repayment of 1000.00 on Bea's loan, booked on the bank's day.
    first = lines["BANKREF-0001"]
    assert first.status == LineStatus.MATCHED
    assert first.entry.amount == Decimal("1000.00")
    assert first.entry.loan_id == bank.loan.pk
    assert first.entry.value_date.isoformat() == "2026-02-15"
    assert first.entry.external_reference == f"bank:{bank.programme.pk}:BANKREF-0001"
    # A reference in the free text of a batch's transaction works too.
    assert lines["BANKREF-0005-A"].status == LineStatus.MATCHED
    assert lines["BANKREF-0005-A"].entry.amount == Decimal("200.00")
    assert [e.amount for e in repayments(bank.loan)] == [Decimal("1000.00"), Decimal("200.00")]
    # The rest wait, each with the reason; the debit without an end-to-end id is not ours to decide.
    assert lines["BANKREF-0003"].status == LineStatus.WAITING
    assert "no payment reference" in lines["BANKREF-0003"].reason
    assert lines["BANKREF-0005-B"].status == LineStatus.WAITING
    assert lines["BANKREF-0004"].status == LineStatus.OTHER
    assert lines["BANKREF-0004"].direction == "DBIT"
    assert result.counts == {LineStatus.MATCHED: 2, LineStatus.WAITING: 3, LineStatus.OTHER: 1}
    assert_ledger_consistent(Loan.objects.get(pk=bank.loan.pk))
    # Every automatic step is logged with who imported.
    assert LineDecision.objects.filter(action="matched", by=bank.manager, loan=bank.loan).count() == 2


def test_a_wrong_check_digit_is_not_applied_but_queued_with_a_suggestion(bank):
    result = do_import(bank, "statement_several.xml")

    line = lines_by_ref(result.statement)["BANKREF-0002"]
    assert line.status == LineStatus.WAITING
    assert "1234567807" in line.reason and "check digit" in line.reason
    assert line.entry is None
    # Suggested by the payer's name (any order, any case).
    assert line.suggested_loan_id == bank.loan.pk
    assert "name" in line.suggestion


def test_the_same_statement_twice_changes_nothing(bank):
    do_import(bank, "statement_several.xml")
    before = (LedgerEntry.objects.count(), StatementLine.objects.count(), BankStatement.objects.count())

    again = do_import(bank, "statement_several.xml")

    assert again.created is False
    assert (LedgerEntry.objects.count(), StatementLine.objects.count(), BankStatement.objects.count()) == before


def test_a_transaction_repeated_in_another_statement_is_applied_once(bank):
    do_import(bank, "statement_several.xml")

    result = do_import(bank, "statement_overlap.xml")

    lines = lines_by_ref(result.statement)
    assert lines["BANKREF-0001"].status == LineStatus.DUPLICATE
    assert lines["BANKREF-0001"].entry is None
    assert lines["BANKREF-0006"].status == LineStatus.MATCHED  # by NtryRef, reference typed with spaces
    assert [e.amount for e in repayments(bank.loan)] == [Decimal("1000.00"), Decimal("200.00"), Decimal("100.00")]


def test_an_amount_that_over_pays_the_loan_becomes_her_credit_and_closes_the_loan(bank):
    owed = loan_services.ledger_balance(bank.loan)["owed"]

    result = do_import(bank, "statement_overpay.xml")

    line = result.statement.lines.get()
    assert line.status == LineStatus.MATCHED
    assert line.bank_reference == "TX-0100"  # the transaction's id within the entry
    loan = Loan.objects.get(pk=bank.loan.pk)
    balance = loan_services.ledger_balance(loan)
    assert line.entry.credit == Decimal("20000.00") - owed
    assert balance["owed"] == owed - Decimal("20000.00")  # negative: what is held for her
    assert loan.status == LoanStatus.REPAID
    assert_ledger_consistent(loan)


def test_a_payment_for_a_repaid_loan_waits_instead_of_being_refused_silently(bank):
    do_import(bank, "statement_overpay.xml")

    result = do_import(bank, "statement_overlap.xml")

    line = lines_by_ref(result.statement)["BANKREF-0006"]
    assert line.status == LineStatus.WAITING
    assert line.suggested_loan_id == bank.loan.pk


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("statement_malformed.xml", "not well-formed XML"),
        ("statement_bad_amount.xml", "Entry 2: “12,50 kr” is not an amount"),
        ("statement_entities.xml", "DTD or entities"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_message_and_changes_nothing(bank, name, message):
    before = (LedgerEntry.objects.count(), StatementLine.objects.count(), BankStatement.objects.count())

    with pytest.raises(Refused) as refused:
        do_import(bank, name)

    assert message in str(refused.value.message)
    assert (LedgerEntry.objects.count(), StatementLine.objects.count(), BankStatement.objects.count()) == before


def test_a_file_over_the_size_limit_is_refused(bank, settings):
    from banking import statements

    with pytest.raises(Refused, match="too large"):
        do_import(bank, "big.xml", data=b"<" + b" " * (statements.MAX_BYTES + 1))


def test_a_statement_of_another_account_is_refused(bank):
    data = read("statement_several.xml").replace(b"SE4550000000058398257466", b"SE3550000000054910000003")

    with pytest.raises(Refused, match="not of the programme's"):
        do_import(bank, "other.xml", data=data)
    assert not StatementLine.objects.exists()


def test_only_the_programmes_managers_import(bank):
    with pytest.raises(NotAllowed):
        do_import(bank, "statement_several.xml", by=bank.lead)
    assert not BankStatement.objects.exists()


def test_csv_import(bank):
    result = do_import(bank, "statement.csv")

    lines = lines_by_ref(result.statement)
    assert result.statement.format == "csv"
    assert lines["CSV-0001"].status == LineStatus.MATCHED
    assert lines["CSV-0001"].entry.amount == Decimal("1066.19")
    assert lines["CSV-0002"].status == LineStatus.WAITING
    assert lines["CSV-0002"].suggested_loan_id == bank.loan.pk
    assert lines["CSV-0003"].direction == "DBIT" and lines["CSV-0003"].amount == Decimal("45.00")
    assert lines["CSV-0003"].status == LineStatus.OTHER


def test_a_csv_without_the_required_columns_is_refused(bank):
    with pytest.raises(Refused, match="no column bank_reference"):
        do_import(bank, "x.csv", data=b"date,amount\n2026-02-01,100\n")
    assert not BankStatement.objects.exists()


# --- The queue ---------------------------------------------------------------------------------------------


def test_a_manager_assigns_a_waiting_line_and_the_decision_is_logged(bank):
    result = do_import(bank, "statement_several.xml")
    line = lines_by_ref(result.statement)["BANKREF-0002"]

    services.line_assign(by=bank.manager, line_id=line.pk, loan_id=bank.loan.pk, note="She mistyped her OCR")

    line = StatementLine.objects.get(pk=line.pk)
    assert line.status == LineStatus.ASSIGNED
    assert line.entry.amount == Decimal("500.00") and line.entry.loan_id == bank.loan.pk
    decision = line.decisions.get(action="assigned")
    assert (decision.by, decision.note, decision.loan_id) == (bank.manager, "She mistyped her OCR", bank.loan.pk)
    assert decision.at is not None
    # Decided once: a second assignment is refused and changes nothing.
    with pytest.raises(Refused):
        services.line_assign(by=bank.manager, line_id=line.pk, loan_id=bank.loan.pk, note="again")
    assert len(repayments(bank.loan)) == 3


def test_a_manager_rejects_a_waiting_line_with_a_reason(bank):
    result = do_import(bank, "statement_several.xml")
    line = lines_by_ref(result.statement)["BANKREF-0003"]
    entries = LedgerEntry.objects.count()

    with pytest.raises(Refused):
        services.line_reject(by=bank.manager, line_id=line.pk, note="  ")
    services.line_reject(by=bank.manager, line_id=line.pk, note="A gift, booked by the treasurer")

    line = StatementLine.objects.get(pk=line.pk)
    assert line.status == LineStatus.REJECTED
    assert line.decisions.get(action="rejected").note == "A gift, booked by the treasurer"
    assert LedgerEntry.objects.count() == entries


def test_someone_who_is_not_a_manager_cannot_decide(bank):
    result = do_import(bank, "statement_several.xml")
    line = lines_by_ref(result.statement)["BANKREF-0003"]

    for user in (bank.lead, bank.adviser, bank.committee):
        with pytest.raises(NotAllowed):
            services.line_assign(by=user, line_id=line.pk, loan_id=bank.loan.pk, note="mine")
        with pytest.raises(NotAllowed):
            services.line_reject(by=user, line_id=line.pk, note="mine")
    assert StatementLine.objects.get(pk=line.pk).status == LineStatus.WAITING


def test_two_loans_that_fit_equally_are_not_suggested(bank):
    from coaching.models import Participant
    from tests.casework_world import make_case, make_user
    from tests.factories import approve_plan
    from tests.loans.lending_world import active_loan

    namesake = make_case(bank, adviser=bank.adviser, state="loan", first="Bea", last="Borrower")
    approve_plan(namesake, adviser=bank.adviser, lead=bank.lead)
    bank.borrower_user = make_user("bea2@t.example", "Bea", "Borrower")
    Participant.objects.filter(pk=namesake.participant_id).update(user=bank.borrower_user)
    bank.case = namesake
    active_loan(bank)
    data = b"booking_date,amount,name,bank_reference\n2026-02-20,123.45,Bea Borrower,CSV-AMB-1\n"

    result = do_import(bank, "ambiguous.csv", data=data)

    line = result.statement.lines.get()
    assert line.status == LineStatus.WAITING
    assert line.suggested_loan is None
    assert "2 loans fit equally well" in line.suggestion
