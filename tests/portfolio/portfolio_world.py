"""A hand-built portfolio: loans paid on time, late, never, partly and written off, in two regions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

from coaching.models import Participant
from loans import services
from loans.models import Instalment, Loan
from tests.casework_world import make_case, make_user
from tests.factories import approve_plan
from tests.loans.lending_world import lending_world, product


def borrower_loan(world, *, key: str, region=None, adviser=None, lead=None, amount="6000", term=6, on, product_obj):
    """A case with a borrower login, taken through application, committee, agreement and payout."""
    region = region or world.north
    adviser = adviser or world.adviser
    lead = lead or world.lead
    user = make_user(f"{key}@t.example", key.title(), "Borrower")
    case = make_case(world, region=region, adviser=adviser, state="loan", first=key.title(), last="Borrower")
    Participant.objects.filter(pk=case.participant_id).update(user=user)
    # The lead of the case's region approves the plan (four eyes); the other region has its own lead.
    plan_lead = lead if region == world.north else getattr(world, "south_lead", lead)
    approve_plan(case, adviser=adviser, lead=plan_lead)
    application = services.application_create(
        by=adviser, case=case, product=product_obj, amount=Decimal(amount), term=term, purpose="Stock", assessment="Ok"
    )
    services.application_submit(by=adviser, application_id=application.pk)
    services.vote_cast(by=world.committee, application_id=application.pk, choice="approve")
    services.vote_cast(by=world.committee2, application_id=application.pk, choice="approve")
    services.application_decide(by=world.committee, application_id=application.pk, decision="approved", reasons="Ok")
    loan = Loan.objects.get(application=application)
    services.agreement_accept(by=user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%PDF-1.7 test")
    services.loan_disburse(by=lead, loan_id=loan.pk, on=on, method="bank", reference=f"OUT-{key}")
    return Loan.objects.get(pk=loan.pk)


def pay(world, loan, amount, on, by=None):
    return services.repayment_record(by=by or world.lead, loan_id=loan.pk, amount=Decimal(amount), on=on)


def write_off_on(world, loan, day: date):
    # The write-off is dated today by design; pin "today" to place it in the past.
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        return services.loan_write_off(by=world.manager, loan_id=loan.pk, reason="Business closed, no contact")


def interest_free(world, name="Interest-free"):
    return product(
        world,
        name=name,
        annual_rate=Decimal("0"),
        interest_method="flat",
        min_amount=Decimal("1000"),
        min_term=3,
        max_term=24,
    )


def portfolio_world():
    """
    Interest-free, monthly, so each instalment is principal only (6000 over 6 = 1000 a month).

    A  North, adviser, Zero product, 6000, out 2026-01-15; due 15 Feb … 15 Jul. Pays 1000 on 15 Feb, Mar,
       Apr and May, each on the due date.
    B  North, adviser, Zero, 6000, out 2026-01-15. Pays 15 Feb on time; nothing on 15 Mar; 1000 on 25 Apr
       (late: it pays the March instalment); nothing more.
    C  South, south adviser, Growth product, 12000 over 6 = 2000 a month, out 2026-02-01; due 1 Mar … 1 Aug.
       Never pays.
    D  North, adviser, Zero, 6000, out 2026-01-15. Pays 500 on 15 Feb; written off on 30 Apr (5500).
    E  North, adviser, Zero, 6000, out 2026-06-20: after the as-of dates below.
    """
    world = lending_world()
    world.zero = interest_free(world, "Zero")
    world.growth = interest_free(world, "Growth")
    jan15 = date(2026, 1, 15)
    world.a = borrower_loan(world, key="anna", on=jan15, product_obj=world.zero)
    world.b = borrower_loan(world, key="berit", on=jan15, product_obj=world.zero)
    world.c = borrower_loan(
        world,
        key="cala",
        region=world.south,
        adviser=world.south_adviser,
        lead=world.south_lead,
        amount="12000",
        on=date(2026, 2, 1),
        product_obj=world.growth,
    )
    world.d = borrower_loan(world, key="dunya", on=jan15, product_obj=world.zero)
    world.e = borrower_loan(world, key="elif", on=date(2026, 6, 20), product_obj=world.zero)
    for month in (2, 3, 4, 5):
        pay(world, world.a, "1000", date(2026, month, 15))
    pay(world, world.b, "1000", date(2026, 2, 15))
    pay(world, world.b, "1000", date(2026, 4, 25))
    pay(world, world.d, "500", date(2026, 2, 15))
    write_off_on(world, world.d, date(2026, 4, 30))
    assert Instalment.objects.filter(loan=world.a, principal=Decimal("1000")).count() == 6
    return world
