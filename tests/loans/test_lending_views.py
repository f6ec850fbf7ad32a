"""Lending pages: who may open and post what, and what they show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans import services
from loans.models import ApplicationStatus, EntryKind, LedgerEntry, Loan, LoanApplication, LoanStatus
from tests.loans.lending_world import active_loan, approved_loan, lending_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return lending_world()


def as_user(client, user):
    client.force_login(user)
    return client


def test_adviser_drafts_and_submits_an_application_through_the_pages(world, client):
    as_user(client, world.adviser)
    response = client.post(
        f"/cases/{world.case.pk}/loan-application/",
        {"product": world.product.pk, "amount": "40000", "term": "12", "purpose": "An oven", "assessment": "Good"},
    )
    application = LoanApplication.objects.get()
    assert response["Location"] == f"/loans/applications/{application.pk}/"
    client.post(f"/loans/applications/{application.pk}/submit/")
    assert LoanApplication.objects.get().status == ApplicationStatus.SUBMITTED


def test_bad_amount_is_shown_on_the_form_and_saves_nothing(world, client):
    as_user(client, world.adviser)
    response = client.post(
        f"/cases/{world.case.pk}/loan-application/",
        {"product": world.product.pk, "amount": "lots", "term": "12", "purpose": "x", "assessment": "y"},
    )
    assert response.status_code == 200
    assert "Enter a number" in response.content.decode()
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize("who", ["adviser2", "south_adviser", "manager", "committee"])
def test_others_cannot_apply_for_the_case(world, client, who):
    response = as_user(client, getattr(world, who)).post(
        f"/cases/{world.case.pk}/loan-application/",
        {"product": world.product.pk, "amount": "40000", "term": "12", "purpose": "x", "assessment": "y"},
    )
    assert response.status_code in (403, 404)
    assert not LoanApplication.objects.exists()


def test_committee_member_votes_and_decides_through_the_pages(world, client):
    application = services.application_create(
        by=world.adviser,
        case=world.case,
        product=world.product,
        amount=Decimal("40000"),
        term=12,
        purpose="Oven",
        assessment="Good",
    )
    services.application_submit(by=world.adviser, application_id=application.pk)
    page = as_user(client, world.committee).get("/committee/")
    assert "Bea Borrower" in page.content.decode()
    client.post(f"/loans/applications/{application.pk}/vote/", {"choice": "approve", "comment": "Fine"})
    response = client.post(f"/loans/applications/{application.pk}/decide/", {"decision": "approved", "reasons": "ok"})
    assert LoanApplication.objects.get().status == ApplicationStatus.SUBMITTED  # quorum not reached
    assert response.status_code == 302
    as_user(client, world.committee2).post(f"/loans/applications/{application.pk}/vote/", {"choice": "approve"})
    client.post(f"/loans/applications/{application.pk}/decide/", {"decision": "approved", "reasons": "Two votes"})
    assert LoanApplication.objects.get().status == ApplicationStatus.APPROVED
    minutes = client.get(f"/committee/minutes/{date.today().isoformat()}/")
    assert minutes["Content-Type"] == "application/pdf"
    assert minutes.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["adviser", "lead", "manager", "borrower_user"])
def test_only_committee_members_vote_by_forged_post(world, client, who):
    application = services.application_create(
        by=world.adviser,
        case=world.case,
        product=world.product,
        amount=Decimal("40000"),
        term=12,
        purpose="Oven",
        assessment="Good",
    )
    services.application_submit(by=world.adviser, application_id=application.pk)
    response = as_user(client, getattr(world, who)).post(
        f"/loans/applications/{application.pk}/vote/", {"choice": "approve"}
    )
    assert response.status_code in (403, 404)
    response = client.post(f"/loans/applications/{application.pk}/decide/", {"decision": "approved", "reasons": "x"})
    assert response.status_code in (403, 404)
    assert not application.votes.exists()


def test_borrower_accepts_her_agreement_with_her_password(world, client):
    loan = approved_loan(world)
    as_user(client, world.borrower_user)
    page = client.get(f"/my/loans/{loan.pk}/agreement/")
    assert "You pay back in all" in page.content.decode()
    wrong = client.post(f"/my/loans/{loan.pk}/agreement/", {"confirm": "on", "password": "nope"})
    assert (
        "password is not right" in wrong.content.decode()
        or Loan.objects.get(pk=loan.pk).status == LoanStatus.AWAITING_ACCEPTANCE
    )
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.AWAITING_ACCEPTANCE
    client.post(f"/my/loans/{loan.pk}/agreement/", {"confirm": "on", "password": "pw-123456789"})
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status == LoanStatus.ACCEPTED
    assert bytes(loan.agreement_pdf).startswith(b"%PDF")
    assert len(loan.agreement_sha256) == 64


def test_another_participant_cannot_see_or_accept_the_loan(world, client):
    from tests.casework_world import make_case, make_user

    loan = approved_loan(world)
    stranger = make_user("stranger@t.example", "Other", "Person")
    other_case = make_case(world, first="Other", last="Person")
    other_case.participant.user = stranger
    other_case.participant.save()
    as_user(client, stranger)
    assert client.get(f"/my/loans/{loan.pk}/").status_code == 404
    assert (
        client.post(f"/my/loans/{loan.pk}/agreement/", {"confirm": "on", "password": "pw-123456789"}).status_code == 404
    )
    assert client.get(f"/loans/{loan.pk}/agreement.pdf").status_code == 404
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.AWAITING_ACCEPTANCE


def test_staff_records_a_repayment_and_the_borrower_gets_a_receipt(world, client):
    loan = active_loan(world)
    as_user(client, world.adviser).post(
        f"/loans/{loan.pk}/repay/", {"amount": "1066.19", "on": "2026-02-15", "method": "cash", "reference": "R-1"}
    )
    entry = LedgerEntry.objects.get(kind=EntryKind.REPAYMENT)
    as_user(client, world.borrower_user)
    page = client.get(f"/my/loans/{loan.pk}/").content.decode()
    assert "1,066.19 SEK" in page  # her language's grouping, the currency after
    receipt = client.get(f"/loans/{loan.pk}/receipts/{entry.pk}/")
    assert receipt.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["adviser2", "south_adviser", "committee", "borrower_user"])
def test_forged_money_posts_change_nothing(world, client, who):
    loan = active_loan(world)
    before = LedgerEntry.objects.count()
    as_user(client, getattr(world, who))
    for url, data in [
        (f"/loans/{loan.pk}/repay/", {"amount": "100", "on": "2026-02-15", "method": "cash"}),
        (f"/loans/{loan.pk}/write-off/", {"reason": "x"}),
        (f"/loans/{loan.pk}/reschedule/", {"term": "6", "start_date": "2026-03-01", "reason": "x"}),
        (f"/loans/{loan.pk}/disburse/", {"on": "2026-02-15", "method": "cash"}),
    ]:
        assert client.post(url, data).status_code in (403, 404), url
    assert LedgerEntry.objects.count() == before


def test_a_repayment_in_the_future_is_refused_on_the_form(world, client):
    loan = active_loan(world)
    as_user(client, world.adviser).post(
        f"/loans/{loan.pk}/repay/", {"amount": "100", "on": "2999-01-01", "method": "cash"}
    )
    assert not LedgerEntry.objects.filter(kind=EntryKind.REPAYMENT).exists()


def test_loan_page_queries_do_not_grow_with_repayments(world, client):
    loan = active_loan(world)
    as_user(client, world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/loans/{loan.pk}/").status_code == 200
        return len(ctx.captured_queries)

    services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=Decimal("100"), on=date(2026, 2, 1))
    few = count()
    for day in range(2, 12):
        services.repayment_record(by=world.adviser, loan_id=loan.pk, amount=Decimal("100"), on=date(2026, 2, day))
    assert count() == few


def test_calculator_shows_a_schedule_and_refuses_amounts_outside_the_product(world, client):
    as_user(client, world.adviser)
    page = client.get(f"/loans/calculator/?product={world.product.pk}&amount=12000&term=12&start_date=2026-01-15")
    body = page.content.decode()
    assert "2026-02-15" in body and "APR" in body
    bad = client.get(f"/loans/calculator/?product={world.product.pk}&amount=1&term=12&start_date=2026-01-15")
    assert "Between" in bad.content.decode()
    assert as_user(client, world.borrower_user).get("/loans/calculator/").status_code == 403
