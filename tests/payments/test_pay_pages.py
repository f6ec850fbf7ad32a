"""The borrower's pay pages and the managers' reconciliation, against localstripe."""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from loans import services
from loans.models import EntryKind, LedgerEntry, OnlinePayment
from loans.payments import services as payment_services
from loans.payments import stripe_api
from neem.models import Programme
from tests.loans.lending_world import active_loan, assert_ledger_consistent, lending_world, product
from tests.payments.stripe_world import event, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return lending_world()


@pytest.fixture
def loan(world):
    return active_loan(world)


@pytest.fixture
def borrower(client, world):
    client.force_login(world.borrower_user)
    return client


def pay_form(client, loan):
    page = client.get(f"/my/loans/{loan.pk}/pay/").content.decode()
    return re.search(r'name="nonce" value="([0-9a-f]+)"', page).group(1), page


def test_without_keys_there_is_no_pay_button_and_the_pay_page_says_so(borrower, loan, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    assert "Pay now" not in borrower.get(f"/my/loans/{loan.pk}/").content.decode()
    page = borrower.get(f"/my/loans/{loan.pk}/pay/").content.decode()
    assert "Online payment is not available" in page
    assert borrower.post(f"/my/loans/{loan.pk}/pay/", {"choice": "next", "nonce": "a"}).status_code == 200
    assert not OnlinePayment.objects.exists()


def test_borrower_sees_pay_now_next_to_the_next_instalment(stripe_on, borrower, loan):
    page = borrower.get(f"/my/loans/{loan.pk}/").content.decode()
    assert f'href="/my/loans/{loan.pk}/pay/"' in page and "Pay now" in page and "Pay another amount" in page


@pytest.mark.parametrize("who", ["adviser", "manager", "lead"])
def test_nobody_but_the_borrower_can_pay_her_loan(stripe_on, client, world, loan, who):
    client.force_login(getattr(world, who))
    assert client.get(f"/my/loans/{loan.pk}/pay/").status_code == 404
    assert client.post(f"/my/loans/{loan.pk}/pay/", {"choice": "next", "nonce": "a"}).status_code == 404
    assert not OnlinePayment.objects.exists()


def test_paying_the_next_instalment_creates_the_intent_and_shows_the_card_form(stripe_on, borrower, loan):
    nonce, page = pay_form(borrower, loan)
    assert '<label for="id_other_amount">' in page and "<legend>" in page
    nxt = services.loan_position(loan).next_instalment
    response = borrower.post(f"/my/loans/{loan.pk}/pay/", {"choice": "next", "nonce": nonce})
    payment = OnlinePayment.objects.get()
    assert response["Location"] == f"/my/loans/{loan.pk}/pay/{payment.pk}/"
    assert (payment.amount, payment.instalment_number) == (nxt.total_outstanding, nxt.number)
    intent = stripe_api.retrieve_payment_intent(payment.payment_intent_id)
    assert intent.amount == nxt.total_outstanding and intent.metadata["neem_instalment"] == str(nxt.number)
    card = borrower.get(response["Location"]).content.decode()
    assert f'data-client-secret="{intent.client_secret}"' in card
    assert 'data-publishable-key="pk_test_neem"' in card
    assert f'<script src="{stripe_on.STRIPE_JS_URL}" defer></script>' in card
    assert "<script>" not in card  # values travel in data- attributes only
    assert 'id="pay-unavailable"' in card
    # The same form again (a double click) is the same payment.
    borrower.post(f"/my/loans/{loan.pk}/pay/", {"choice": "next", "nonce": nonce})
    assert OnlinePayment.objects.count() == 1


def test_another_amount_is_checked(stripe_on, borrower, loan):
    nonce, _page = pay_form(borrower, loan)
    url = f"/my/loans/{loan.pk}/pay/"
    page = borrower.post(url, {"choice": "other", "other_amount": "", "nonce": nonce}).content.decode()
    assert "Write the amount you want to pay." in page
    page = borrower.post(url, {"choice": "other", "other_amount": "999999", "nonce": nonce}).content.decode()
    assert "That is more than you owe" in page
    assert not OnlinePayment.objects.exists()
    response = borrower.post(url, {"choice": "other", "other_amount": "250.50", "nonce": nonce})
    assert response.status_code == 302
    assert OnlinePayment.objects.get().amount == Decimal("250.50")


def test_zero_decimal_currency_loan_pays_whole_dong(stripe_on, client, world):
    Programme.objects.filter(pk=world.programme.pk).update(currency="VND")
    world.programme.refresh_from_db()
    vnd = product(world, name="VND loan", min_amount=Decimal("1000000"), max_amount=Decimal("100000000"))
    assert vnd.currency == "VND"
    loan = active_loan(world, amount="12000000", product_obj=vnd)
    client.force_login(world.borrower_user)
    nonce, _page = pay_form(client, loan)
    page = client.post(
        f"/my/loans/{loan.pk}/pay/", {"choice": "other", "other_amount": "1000.50", "nonce": nonce}
    ).content.decode()
    assert "VND has no decimals" in page
    client.post(f"/my/loans/{loan.pk}/pay/", {"choice": "next", "nonce": nonce})
    payment = OnlinePayment.objects.get()
    nxt = services.loan_position(loan).next_instalment.total_outstanding
    assert payment.amount == nxt.to_integral_value(rounding="ROUND_CEILING")
    intent = stripe_api.retrieve_payment_intent(payment.payment_intent_id)
    assert (intent.currency, intent.amount) == ("VND", payment.amount)
    post_event(
        client,
        event(
            "payment_intent.succeeded",
            payment_intent=payment.payment_intent_id,
            amount=payment.amount,
            currency="VND",
        ),
    )
    entry = LedgerEntry.objects.get(loan=loan, kind=EntryKind.REPAYMENT)
    assert entry.amount == payment.amount
    assert_ledger_consistent(loan)


def test_status_is_polled_by_the_card_page(stripe_on, borrower, world, loan):
    payment = payment_services.payment_start(
        by=world.borrower_user, loan=loan, amount=Decimal("100"), instalment_number=None, nonce="x"
    )
    url = f"/my/loans/{loan.pk}/pay/{payment.pk}/status/"
    assert borrower.get(url).json() == {"status": "created", "recorded": False, "message": ""}
    post_event(
        borrower,
        event(
            "payment_intent.succeeded", payment_intent=payment.payment_intent_id, amount=Decimal("100"), currency="SEK"
        ),
    )
    assert borrower.get(url).json()["recorded"] is True


# --- Reconciliation ------------------------------------------------------------------------------------------


def paid_online(world, loan, client, amount="300.00", *, record=True, recorded_amount=None):
    """A payment that really succeeded on localstripe (test card at creation) and, if asked, its webhook."""
    intent = stripe_api.create_payment_intent(
        Decimal(amount),
        "SEK",
        {"neem_loan": loan.pk},
        idempotency_key=f"r-{amount}",
        payment_method="pm_card_visa",
        confirm=True,
    )
    payment = OnlinePayment.objects.create(
        loan=loan,
        amount=Decimal(recorded_amount or amount),
        currency="SEK",
        payment_intent_id=intent.id,
        nonce=intent.id,
        created_by=world.borrower_user,
    )
    if record:
        post_event(
            client,
            event("payment_intent.succeeded", payment_intent=intent.id, amount=Decimal(amount), currency="SEK"),
        )
    return payment


def test_reconciliation_is_for_managers_only(stripe_on, client, world):
    for who in ("adviser", "lead", "borrower_user"):
        client.force_login(getattr(world, who))
        assert client.get("/loans/reconciliation/").status_code == 403
        assert client.get("/loans/online-payments/flagged/").status_code == 403


def test_reconciled_day(stripe_on, client, world, loan):
    paid_online(world, loan, client, "300.00")
    paid_online(world, loan, client, "150.00")
    client.force_login(world.manager)
    today = timezone.localdate().isoformat()
    page = client.get(f"/loans/reconciliation/?from={today}&to={today}").content.decode()
    assert 'id="reconciled"' in page and "all 2 payments match" in page
    out = StringIO()
    call_command("stripe_reconcile", "--from", today, "--to", today, stdout=out)
    assert "2 payments, 0 mismatches" in out.getvalue()
    assert_ledger_consistent(loan)


def test_every_mismatch_is_shown(stripe_on, client, world, loan):
    paid_online(world, loan, client, "300.00")
    missing = paid_online(world, loan, client, "120.00", record=False)
    flagged = paid_online(world, loan, client, "80.00", recorded_amount="90.00")
    # Recorded as paid online in Neem, but Stripe never had it.
    services.repayment_record(
        by=world.lead,
        loan_id=loan.pk,
        amount=Decimal("55.00"),
        on=timezone.localdate(),
        method=payment_services.METHOD,
        external_reference="pi_never_at_stripe",
    )
    client.force_login(world.manager)
    today = timezone.localdate().isoformat()
    page = client.get(f"/loans/reconciliation/?from={today}&to={today}").content.decode()
    assert "3 payments do not match" in page
    assert "received by Stripe, not recorded in Neem" in page
    assert "received by Stripe, flagged and not applied" in page
    assert "recorded in Neem, but Stripe has no succeeded payment" in page
    result = payment_services.reconcile(start=timezone.localdate(), end=timezone.localdate())
    problems = {row.payment_intent_id: row.problems for row in result.rows}
    assert problems[missing.payment_intent_id] and problems[flagged.payment_intent_id]
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("stripe_reconcile", "--from", today, "--to", today, stdout=out)
    assert "3 mismatches" in out.getvalue()
    # The flagged one is on the managers' list, and can be marked as dealt with.
    flags = client.get("/loans/online-payments/flagged/").content.decode()
    assert flagged.payment_intent_id in flags
    client.post(f"/loans/online-payments/{flagged.pk}/resolve/", {"note": "Refunded in Stripe"})
    flagged.refresh_from_db()
    assert not flagged.needs_manager and flagged.flag_resolved_by == world.manager
    assert_ledger_consistent(loan)


def test_refunded_payment_reconciles_when_reversed(stripe_on, client, world, loan):
    payment = paid_online(world, loan, client, "300.00")
    stripe_api.refund(payment.payment_intent_id)
    today = timezone.localdate()
    (row,) = payment_services.reconcile(start=today, end=today).rows
    assert row.problems == ["refunded at Stripe, not reversed in Neem"]
    post_event(
        client,
        event("charge.refunded", payment_intent=payment.payment_intent_id, amount=Decimal("300.00"), currency="SEK"),
    )
    (row,) = payment_services.reconcile(start=today, end=today).rows
    assert row.ok and row.neem_reversed
    assert_ledger_consistent(loan)


def test_command_refuses_without_keys(settings):
    settings.STRIPE_SECRET_KEY = ""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("stripe_reconcile", "--from", "2026-01-01", "--to", "2026-01-02")
