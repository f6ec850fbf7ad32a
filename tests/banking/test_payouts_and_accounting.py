"""Payouts out (pain.001, confirmed by the statement) and the ledger for the accountant (SIE 4, CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from banking import accounting, services
from banking.models import AccountMapping, BankAccount, LineStatus
from coaching.errors import NotAllowed, Refused
from loans import services as loan_services
from loans.models import EntryKind, LedgerEntry, Loan, LoanStatus
from tests.loans.lending_world import active_loan, approved_loan, lending_world

from .conftest import FILES

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


@pytest.fixture
def payout_world(db):
    world = lending_world()
    BankAccount.objects.create(
        programme=world.programme,
        holder_name="Neem Test Programme",
        organisation_number="802400-1234",
        iban="SE45 5000 0000 0583 9825 7466",
        bic="ESSESESS",
    )
    loan = approved_loan(world, amount="12000.50")
    loan_services.agreement_accept(
        by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF-1.7 test"
    )
    world.loan = Loan.objects.get(pk=loan.pk)
    return world


def make_file(world, *, with_account=True):
    if with_account:
        services.payout_account_set(
            by=world.manager, loan_id=world.loan.pk, holder_name="Bea Borrower", iban="SE35 5000 0000 0549 1000 0003"
        )
    return services.payment_file_create(
        by=world.manager,
        programme=world.programme,
        loan_ids=[world.loan.pk],
        execution_date=timezone.localdate() + timedelta(days=1),
    )


def test_the_pain001_file_is_well_formed_and_its_sums_are_right(payout_world):
    payment_file = make_file(payout_world)

    root = fromstring(payment_file.xml.encode("utf-8"))
    assert root.tag == "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}Document"
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    amounts = [Decimal(a.text) for a in info.findall("p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]
    assert amounts == [Decimal("12000.50")]
    assert header.find("p:NbOfTxs", NS).text == info.find("p:NbOfTxs", NS).text == "1"
    assert header.find("p:CtrlSum", NS).text == info.find("p:CtrlSum", NS).text == "12000.50"
    assert info.find("p:DbtrAcct/p:Id/p:IBAN", NS).text == "SE4550000000058398257466"
    assert info.find("p:DbtrAgt/p:FinInstnId/p:BICFI", NS).text == "ESSESESS"
    assert info.find("p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", NS).text == "SE3550000000054910000003"
    e2e = info.find("p:CdtTrfTxInf/p:PmtId/p:EndToEndId", NS).text
    assert e2e == payment_file.orders.get().end_to_end_id and len(e2e) <= 35
    assert payout_world.loan.payment_reference in info.find("p:CdtTrfTxInf/p:RmtInf/p:Ustrd", NS).text
    assert (payment_file.number_of_transactions, payment_file.control_sum) == (1, Decimal("12000.50"))
    # Nothing is paid out until the bank says so.
    assert Loan.objects.get(pk=payout_world.loan.pk).status == LoanStatus.ACCEPTED


def test_several_payouts_sum_up():
    from banking import pain001

    transfers = [
        pain001.Transfer(end_to_end_id=f"E{i}", amount=Decimal(a), creditor_name="X", creditor_iban="SE00")
        for i, a in enumerate(["0.10", "0.20", "1000.05"])
    ]
    xml = pain001.build(
        message_id="M1",
        created_at=timezone.now(),
        execution_date=date(2026, 3, 1),
        currency="SEK",
        debtor=pain001.Debtor(name="P", iban="SE45"),
        transfers=transfers,
    )
    root = fromstring(xml)
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "1000.35"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "3"
    # Without a BIC the mandatory debtor agent says NOTPROVIDED.
    assert root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", NS).text == "NOTPROVIDED"


def test_a_loan_without_a_payout_account_or_not_accepted_is_refused(payout_world):
    with pytest.raises(Refused, match="payout account"):
        make_file(payout_world, with_account=False)
    with pytest.raises(Refused, match="IBAN"):
        services.payout_account_set(
            by=payout_world.manager,
            loan_id=payout_world.loan.pk,
            holder_name="Bea",
            iban="SE35 5000 0000 0549 1000 0004",
        )
    with pytest.raises(NotAllowed):
        services.payout_account_set(
            by=payout_world.lead, loan_id=payout_world.loan.pk, holder_name="Bea", iban="SE3550000000054910000003"
        )


def test_the_statement_showing_the_payout_pays_the_loan_out_through_the_payout_service(payout_world):
    payment_file = make_file(payout_world)
    order = payment_file.orders.get()
    data = (FILES / "statement_payout.xml").read_text().format(end_to_end_id=order.end_to_end_id, amount="12000.50")

    result = services.statement_import(
        by=payout_world.manager, programme=payout_world.programme, data=data.encode(), file_name="out.xml"
    )

    line = result.statement.lines.get()
    assert line.status == LineStatus.PAYOUT and line.payout_id == order.pk
    loan = Loan.objects.get(pk=payout_world.loan.pk)
    assert loan.status == LoanStatus.ACTIVE
    assert loan.disbursed_on == date(2026, 2, 2)  # the bank's booking day starts the schedule
    assert loan.disbursement_reference == order.end_to_end_id
    payout = LedgerEntry.objects.get(loan=loan, kind=EntryKind.DISBURSEMENT)
    assert payout.amount == Decimal("12000.50") and payout.created_by == payout_world.manager
    assert payment_file.orders.get().confirmed_on == date(2026, 2, 2)
    # The same statement again changes nothing.
    again = services.statement_import(
        by=payout_world.manager, programme=payout_world.programme, data=data.encode(), file_name="out.xml"
    )
    assert again.created is False
    assert LedgerEntry.objects.filter(loan=loan, kind=EntryKind.DISBURSEMENT).count() == 1


def test_a_payout_of_another_amount_waits_for_a_manager(payout_world):
    order = make_file(payout_world).orders.get()
    data = (FILES / "statement_payout.xml").read_text().format(end_to_end_id=order.end_to_end_id, amount="12000.00")

    result = services.statement_import(
        by=payout_world.manager, programme=payout_world.programme, data=data.encode(), file_name="out.xml"
    )

    assert result.statement.lines.get().status == LineStatus.WAITING
    assert Loan.objects.get(pk=payout_world.loan.pk).status == LoanStatus.ACCEPTED


# --- Accounting ---------------------------------------------------------------------------------------------


@pytest.fixture
def booked(db):
    """A loan paid out, repaid three times (the last over-paying), one repayment reversed."""
    world = lending_world()
    loan = active_loan(world, on=date(2026, 1, 15))
    entries = [
        loan_services.repayment_record(
            by=world.manager, loan_id=loan.pk, amount=Decimal(a), on=date(2026, 2, d), method="bank transfer"
        )
        for a, d in (("1066.19", 15), ("500", 20))
    ]
    loan_services.repayment_reverse(by=world.manager, entry_id=entries[1].pk, reason="bounced")
    loan_services.repayment_record(
        by=world.manager, loan_id=loan.pk, amount=Decimal("20000"), on=date(2026, 3, 1), method="bank transfer"
    )
    world.loan = Loan.objects.get(pk=loan.pk)
    return world


def test_every_voucher_balances_and_the_bank_moves_as_the_money_did(booked):
    vouchers = accounting.vouchers(booked.programme, start=date(2026, 1, 1), end=date(2026, 12, 31))

    assert vouchers
    for voucher in vouchers:
        assert voucher.debits == voucher.credits, voucher
        assert voucher.debits > 0
    bank = sum((a for v in vouchers for role, a in v.rows if role == "bank"), Decimal("0"))
    money = LedgerEntry.objects.filter(loan=booked.loan)
    paid_in = sum(e.amount for e in money.filter(kind=EntryKind.REPAYMENT))
    reversed_ = sum(e.amount for e in money.filter(kind=EntryKind.REVERSAL))
    assert bank == paid_in - reversed_ - booked.loan.principal
    # The loan is repaid: the receivable is back to zero and her over-payment sits on the credit account.
    receivable = sum((a for v in vouchers for role, a in v.rows if role == "principal_receivable"), Decimal("0"))
    credit = sum((a for v in vouchers for role, a in v.rows if role == "customer_credit"), Decimal("0"))
    assert receivable == Decimal("0")
    assert -credit == loan_services.ledger_balance(booked.loan)["credit"] > 0
    # Interest charged at payout is not a voucher (cash basis): only interest paid is income.
    interest_income = -sum((a for v in vouchers for role, a in v.rows if role == "interest_income"), Decimal("0"))
    interest_paid = -sum(e.interest for e in money.filter(kind__in=[EntryKind.REPAYMENT, EntryKind.REVERSAL]))
    assert interest_income == interest_paid > 0


def test_sie4_file(booked):
    mapping = AccountMapping.for_programme(booked.programme)
    mapping.bank = "1940"
    mapping.save()

    data = accounting.sie4(booked.programme, start=date(2026, 1, 1), end=date(2026, 12, 31), by=booked.manager)

    text = data.decode("cp437")
    lines = text.split("\r\n")
    assert lines[:5] == ["#FLAGGA 0", '#PROGRAM "Neem" 1.0', "#FORMAT PC8", lines[3], "#SIETYP 4"]
    assert "#RAR 0 20260101 20261231" in lines
    assert '#KONTO 1940 "bank"' in lines or any(line.startswith("#KONTO 1940 ") for line in lines)
    vers = [line for line in lines if line.startswith("#VER ")]
    assert (
        len(vers)
        == LedgerEntry.objects.filter(
            loan=booked.loan, kind__in=[EntryKind.DISBURSEMENT, EntryKind.REPAYMENT, EntryKind.REVERSAL]
        ).count()
    )
    # Each voucher's #TRANS amounts sum to zero; their debits add up to the vouchers' debits.
    total_debits = Decimal("0")
    current = []
    for line in lines:
        if line.startswith("#TRANS "):
            current.append(Decimal(line.split()[3]))
        elif line == "}":
            assert sum(current) == 0
            total_debits += sum(a for a in current if a > 0)
            current = []
    expected = sum(
        (v.debits for v in accounting.vouchers(booked.programme, start=date(2026, 1, 1), end=date(2026, 12, 31))),
        Decimal("0"),
    )
    assert total_debits == expected
    assert any(line.startswith("#TRANS 1940 {} -12000.00") for line in lines)


def test_sie_text_is_cp437_with_quotes_escaped():
    assert accounting._sie_text('Ett "lån" åt Šejla') == '"Ett \\"lån\\" åt Sejla"'


def test_csv_export_debits_equal_credits(booked):
    text = accounting.ledger_csv(booked.programme, start=date(2026, 2, 1), end=date(2026, 2, 28))

    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["date"][:7] for r in rows} == {"2026-02"}
    debit = sum(Decimal(r["debit"] or "0") for r in rows)
    credit = sum(Decimal(r["credit"] or "0") for r in rows)
    # The two February repayments (the reversal is dated the day it was recorded, outside the period).
    assert debit == credit == Decimal("1066.19") + Decimal("500")


def test_a_period_over_two_fiscal_years_is_refused(booked):
    assert accounting.check_period(booked.programme, start=date(2026, 12, 1), end=date(2027, 1, 31))
    assert accounting.check_period(booked.programme, start=date(2026, 1, 1), end=date(2026, 12, 31)) is None
