"""Credit statements: her own PDF, what it says, public verification, revocation and the rate limit."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from coaching.errors import NotAllowed
from loans import services as loan_services
from loans.models import Instalment
from portfolio import selectors, services
from portfolio.models import CreditStatement
from tests.casework_world import make_case, make_user
from tests.loans.lending_world import active_loan, lending_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    world = lending_world()
    world.loan = active_loan(world, on=date(2026, 1, 15), amount="12000", term=12)
    first, second = Instalment.objects.filter(loan=world.loan, active=True).order_by("number")[:2]
    loan_services.repayment_record(by=world.lead, loan_id=world.loan.pk, amount=first.total, on=first.due_date)
    # The second instalment is paid in two parts; the second part, 4 days late, completes it.
    loan_services.repayment_record(by=world.lead, loan_id=world.loan.pk, amount=Decimal("100"), on=second.due_date)
    loan_services.repayment_record(
        by=world.lead,
        loan_id=world.loan.pk,
        amount=second.total - Decimal("100"),
        on=second.due_date + timedelta(days=4),
    )
    world.first, world.second = first, second
    return world


def test_the_statement_lines_say_when_each_instalment_was_paid_and_how_late(world):
    [item] = selectors.statement_loans(world.case.participant, as_of=date(2026, 5, 1))
    one, two, three = item.lines[:3]
    assert (one.paid_on, one.days_late) == (world.first.due_date, 0)
    assert (two.paid_on, two.days_late) == (world.second.due_date + timedelta(days=4), 4)
    assert two.paid == world.second.total
    # The third (due 15 April) is unpaid and 16 days late on 1 May.
    assert three.paid_on is None and three.days_late == 16
    assert item.repaid == world.first.total + world.second.total


def test_the_participant_downloads_her_statement(client, world):
    client.force_login(world.borrower_user)
    assert client.get(reverse("portfolio:my_credit_history")).status_code == 200
    response = client.post(reverse("portfolio:my_credit_history"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    statement = CreditStatement.objects.get()
    assert statement.participant == world.case.participant
    assert statement.sha256 == hashlib.sha256(pdf).hexdigest()
    assert statement.language == world.case.participant.preferred_language
    assert len(statement.code) >= 32
    assert statement.issued_by == world.borrower_user


def test_the_my_page_links_to_the_credit_history(client, world):
    client.force_login(world.borrower_user)
    assert reverse("portfolio:my_credit_history") in client.get(reverse("coaching:my_page")).content.decode()


def _issue(world, by=None):
    statement, _pdf = services.statement_issue(
        by=by or world.borrower_user, participant=world.case.participant, verify_url="http://testserver/verify/"
    )
    return statement


def test_verification_answers_valid_with_date_and_name(client, world):
    statement = _issue(world)
    response = client.get(reverse("portfolio:verify_code", args=[statement.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in text and "Bea Borrower" in text and timezone.localdate().isoformat() in text
    # Nothing else about her: no amounts, no loans.
    assert "12000" not in text
    response = client.get(reverse("portfolio:verify"), {"code": statement.code})
    assert "Bea Borrower" in response.content.decode()


def test_an_unknown_code_is_not_valid(client, world):
    _issue(world)
    for code in ("not-a-real-code", "x" * 200):
        text = client.get(reverse("portfolio:verify"), {"code": code}).content.decode()
        assert "Not valid" in text and "Bea" not in text


def test_a_revoked_statement_stops_verifying(client, world):
    statement = _issue(world)
    services.statement_revoke(by=world.adviser, statement_id=statement.pk)
    text = client.get(reverse("portfolio:verify_code", args=[statement.code])).content.decode()
    assert "Not valid" in text and "Bea" not in text


def test_the_participant_cannot_revoke_and_strangers_cannot_issue(world):
    statement = _issue(world)
    with pytest.raises(NotAllowed):
        services.statement_revoke(by=world.borrower_user, statement_id=statement.pk)
    with pytest.raises(NotAllowed):
        _issue(world, by=world.south_adviser)


def test_lookups_are_rate_limited_by_address(client, world, settings):
    settings.NEEM_VERIFY_RATE_LIMIT = (3, 600)
    url = reverse("portfolio:verify")
    for _ in range(3):
        assert client.get(url, {"code": "guess"}).status_code == 200
    response = client.get(url, {"code": "guess"})
    assert response.status_code == 429
    assert "Too many checks" in response.content.decode()
    # The empty form is not a lookup; another address has its own allowance.
    assert client.get(url).status_code == 200
    assert client.get(url, {"code": "guess"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_staff_issue_and_revoke_from_the_case_page(client, world):
    client.force_login(world.adviser)
    case_page = reverse("coaching:case_detail", args=[world.case.pk])
    assert "Issue a credit statement" in client.get(case_page, {"tab": "loan"}).content.decode()
    response = client.post(reverse("portfolio:case_statement_issue", args=[world.case.pk]))
    assert response["Content-Type"] == "application/pdf"
    statement = CreditStatement.objects.get()
    assert statement.issued_by == world.adviser
    response = client.post(reverse("portfolio:statement_revoke", args=[statement.pk]))
    assert response["Location"] == case_page + "?tab=loan#follow-up"
    assert CreditStatement.objects.get().revoked_at is not None


def test_a_participant_reaches_only_her_own_statements(client, world):
    statement = _issue(world)
    other_user = make_user("other@t.example", "Olga", "Other")
    other_case = make_case(world, adviser=world.adviser, state="coaching", first="Olga", last="Other")
    other_case.participant.user = other_user
    other_case.participant.save()
    client.force_login(other_user)
    client.post(reverse("portfolio:my_credit_history"))
    mine = CreditStatement.objects.exclude(pk=statement.pk).get()
    assert mine.participant == other_case.participant
    # The staff doors are closed to her.
    assert client.post(reverse("portfolio:case_statement_issue", args=[world.case.pk])).status_code == 404
    assert client.post(reverse("portfolio:statement_revoke", args=[statement.pk])).status_code == 404
    # Without a participant record there is no credit history page.
    client.force_login(world.committee)
    assert client.get(reverse("portfolio:my_credit_history")).status_code == 404
    # Staff of another region cannot issue or revoke hers.
    client.force_login(world.south_adviser)
    assert client.post(reverse("portfolio:case_statement_issue", args=[world.case.pk])).status_code == 404
    assert client.post(reverse("portfolio:statement_revoke", args=[statement.pk])).status_code == 404
    assert CreditStatement.objects.get(pk=statement.pk).revoked_at is None
