"""Fixtures for lending tests: a programme with a committee, products and a borrower."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from coaching.models import Participant
from loans import services
from loans.models import LendingPolicy, Loan, LoanProduct
from neem.models import Membership, Role
from tests.casework_world import build_world, make_case, make_user
from tests.factories import approve_plan


def product(world, **overrides) -> LoanProduct:
    values = {
        "programme": world.programme,
        "name": "Start-up loan",
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("100000"),
        "annual_rate": Decimal("12"),
        "min_term": 3,
        "max_term": 36,
        "frequency": LoanProduct.Frequency.MONTHLY,
        "interest_method": LoanProduct.InterestMethod.DECLINING,
        "amortization": LoanProduct.Amortization.EQUAL_INSTALLMENTS,
    }
    values.update(overrides)
    return LoanProduct.objects.create(**values)


def lending_world():
    world = build_world()
    world.committee2 = make_user("committee2@t.example", "Second", "Member")
    world.committee3 = make_user("committee3@t.example", "Third", "Member")
    for user in (world.committee2, world.committee3):
        Membership.objects.create(user=user, programme=world.programme, role=Role.COMMITTEE)
    LendingPolicy.objects.create(programme=world.programme, quorum=2, arrears_action_days=7)
    world.borrower_user = make_user("borrower@t.example", "Bea", "Borrower")
    world.case = make_case(world, adviser=world.adviser, state="loan", first="Bea", last="Borrower")
    Participant.objects.filter(pk=world.case.participant_id).update(user=world.borrower_user)
    world.case.participant.user = world.borrower_user
    world.product = product(world)
    approve_plan(world.case, adviser=world.adviser, lead=world.lead)
    return world


def approved_loan(world, *, amount="12000", term=12, product_obj=None):
    application = services.application_create(
        by=world.adviser,
        case=world.case,
        product=product_obj or world.product,
        amount=Decimal(amount),
        term=term,
        purpose="An oven for the bakery",
        assessment="Solid plan, experienced baker.",
    )
    services.application_submit(by=world.adviser, application_id=application.pk)
    services.vote_cast(by=world.committee, application_id=application.pk, choice="approve")
    services.vote_cast(by=world.committee2, application_id=application.pk, choice="approve")
    services.application_decide(
        by=world.committee, application_id=application.pk, decision="approved", reasons="Good plan"
    )
    return Loan.objects.get(application_id=application.pk)


def active_loan(world, *, on=date(2026, 1, 15), **kwargs):
    loan = approved_loan(world, **kwargs)
    services.agreement_accept(
        by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF-1.7 test"
    )
    services.loan_disburse(by=world.lead, loan_id=loan.pk, on=on, method="bank transfer", reference="PAYOUT-1")
    return Loan.objects.get(pk=loan.pk)


def assert_ledger_consistent(loan) -> None:
    """The balance is the sum of entries, and it equals what the active schedule still owes."""
    balance = services.ledger_balance(loan)
    position = services.loan_position(loan, timezone.localdate())
    assert balance["owed"] == position.outstanding, (balance, position.outstanding)
    assert balance["principal"] == position.outstanding_principal
    assert balance["principal"] >= 0
    assert balance["credit"] >= 0
