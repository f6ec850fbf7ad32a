"""Stripe's webhooks, signed with the test secret, against a loan: applied once, whatever order they come in."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from loans import services
from loans.models import EntryKind, LedgerEntry, OnlinePayment, StripeEvent
from loans.payments import services as payment_services
from loans.payments import stripe_api
from tests.loans.lending_world import active_loan, assert_ledger_consistent, lending_world
from tests.payments.stripe_world import event, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return lending_world()


@pytest.fixture
def loan(world):
    return active_loan(world)


@pytest.fixture
def payment(stripe_on, world, loan):
    """A real PaymentIntent on localstripe for the next instalment, as the pay page creates it."""
    amount = services.loan_position(loan).next_instalment.total_outstanding
    return payment_services.payment_start(
        by=world.borrower_user, loan=loan, amount=amount, instalment_number=1, nonce="n-1"
    )


@pytest.fixture(autouse=True)
def ledger_stays_consistent(loan):
    yield
    assert_ledger_consistent(loan)


def succeeded(payment, **changes):
    return event(
        "payment_intent.succeeded",
        payment_intent=payment.payment_intent_id,
        amount=changes.pop("amount", payment.amount),
        currency=changes.pop("currency", payment.currency),
        **changes,
    )


def refunded(payment, **changes):
    return event(
        "charge.refunded",
        payment_intent=payment.payment_intent_id,
        amount=payment.amount,
        currency=payment.currency,
        **changes,
    )


def repayments(loan):
    return LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT)


def test_payment_start_creates_a_payment_intent_for_the_instalment(payment, loan):
    intent = stripe_api.retrieve_payment_intent(payment.payment_intent_id)
    assert (intent.amount, intent.currency) == (payment.amount, "SEK")
    assert intent.metadata["neem_loan"] == str(loan.pk) and intent.metadata["neem_instalment"] == "1"
    assert payment.status == OnlinePayment.Status.CREATED


def test_the_same_form_sent_twice_gives_one_payment(payment, world, loan):
    again = payment_services.payment_start(
        by=world.borrower_user, loan=loan, amount=payment.amount, instalment_number=1, nonce="n-1"
    )
    assert again.pk == payment.pk
    assert OnlinePayment.objects.count() == 1


def test_succeeded_event_records_the_repayment_once_with_the_payment_intent_as_reference(client, payment, loan):
    owed_before = services.ledger_balance(loan)["owed"]
    response = post_event(client, succeeded(payment))
    assert response.status_code == 200, response.content
    entry = repayments(loan).get()
    assert entry.external_reference == payment.payment_intent_id
    assert entry.amount == payment.amount and entry.created_by is None and entry.method == "card (Stripe)"
    assert entry.allocations.filter(instalment__number=1).exists()
    assert services.ledger_balance(loan)["owed"] == owed_before - payment.amount
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.SUCCEEDED and payment.entry == entry
    stored = StripeEvent.objects.get()
    assert stored.result == "recorded" and stored.processed_at and stored.payment == payment


def test_bad_signature_is_refused_and_writes_nothing(client, payment, loan):
    response = post_event(client, succeeded(payment), secret="whsec_someone_else")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists() and not repayments(loan).exists()
    response = post_event(client, succeeded(payment), signature="")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_stale_timestamp_is_refused_and_writes_nothing(client, payment, loan):
    response = post_event(client, succeeded(payment), timestamp=int(time.time()) - 3600)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists() and not repayments(loan).exists()


def test_webhook_without_a_configured_secret_is_refused(client, payment, loan, settings):
    data = succeeded(payment)
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post_event(client, data).status_code == 400
    assert not StripeEvent.objects.exists()


def test_webhook_accepts_only_post(client, stripe_on):
    assert client.get("/stripe/webhook/").status_code == 405


def test_the_same_event_twice_is_applied_once(client, payment, loan):
    data = succeeded(payment)
    assert post_event(client, data).status_code == 200
    second = post_event(client, data)
    assert second.status_code == 200 and second.content == b"recorded"
    assert repayments(loan).count() == 1
    assert StripeEvent.objects.count() == 1


def test_two_different_events_for_the_same_payment_intent_apply_once(client, payment, loan):
    assert post_event(client, succeeded(payment)).status_code == 200
    response = post_event(client, succeeded(payment))
    assert response.status_code == 200 and response.content == b"already recorded"
    assert repayments(loan).count() == 1
    assert StripeEvent.objects.count() == 2


def test_refund_after_success_reverses_the_repayment_once(client, payment, loan):
    owed_before = services.ledger_balance(loan)["owed"]
    post_event(client, succeeded(payment))
    refund = refunded(payment)
    assert post_event(client, refund).status_code == 200
    assert post_event(client, refunded(payment, charge_id=refund["data"]["object"]["id"])).status_code == 200
    reversal = LedgerEntry.objects.get(loan=loan, kind=EntryKind.REVERSAL)
    assert reversal.reverses.external_reference == payment.payment_intent_id
    assert reversal.external_reference == f"stripe-refund:{refund['data']['object']['id']}"
    assert services.ledger_balance(loan)["owed"] == owed_before
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.REFUNDED


def test_refund_before_the_success_event_records_both_and_the_late_success_changes_nothing(client, payment, loan):
    owed_before = services.ledger_balance(loan)["owed"]
    assert post_event(client, refunded(payment)).status_code == 200
    assert repayments(loan).count() == 1
    assert LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REVERSAL).count() == 1
    late = post_event(client, succeeded(payment))
    assert late.status_code == 200 and late.content == b"already recorded"
    assert repayments(loan).count() == 1
    assert services.ledger_balance(loan)["owed"] == owed_before
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.REFUNDED


def test_amount_mismatch_is_recorded_and_flagged_never_applied(client, payment, loan, world):
    response = post_event(client, succeeded(payment, amount=payment.amount - Decimal("100")))
    assert response.status_code == 200 and response.content == b"flagged: amount or currency mismatch"
    assert not repayments(loan).exists()
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.MISMATCH
    assert payment.received_amount == payment.amount - Decimal("100") and payment.needs_manager
    assert list(payment_services.flagged_payments(world.manager)) == [payment]
    # A later, matching event for the same PaymentIntent does not quietly apply it either.
    assert post_event(client, succeeded(payment)).content == b"already flagged"
    assert not repayments(loan).exists()


def test_currency_mismatch_is_flagged(client, payment, loan):
    post_event(client, succeeded(payment, currency="EUR"))
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.MISMATCH and payment.received_currency == "EUR"
    assert not repayments(loan).exists()


def test_other_api_version_is_stored_refused_and_not_applied(client, payment, loan):
    data = succeeded(payment, api_version="2017-08-15")
    response = post_event(client, data)
    assert response.status_code == 400
    stored = StripeEvent.objects.get()
    assert stored.result == "rejected: api version 2017-08-15"
    assert not repayments(loan).exists()
    assert post_event(client, data).status_code == 400  # Stripe's retry gets the same answer


def test_failed_payment_is_shown_to_the_participant(client, payment, loan, world):
    data = event(
        "payment_intent.payment_failed",
        payment_intent=payment.payment_intent_id,
        amount=payment.amount,
        currency="SEK",
    )
    assert post_event(client, data).status_code == 200
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.FAILED
    assert payment.failure_message == "Your card has insufficient funds."
    client.force_login(world.borrower_user)
    page = client.get(f"/my/loans/{loan.pk}/").content.decode()
    assert "Your card has insufficient funds." in page and "did not go through" in page
    # She tries again with another card on the same PaymentIntent, and it succeeds.
    post_event(client, succeeded(payment))
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.SUCCEEDED and payment.failure_message == ""


def test_failure_arriving_after_success_changes_nothing(client, payment, loan):
    post_event(client, succeeded(payment))
    data = event(
        "payment_intent.payment_failed", payment_intent=payment.payment_intent_id, amount=payment.amount, currency="SEK"
    )
    assert post_event(client, data).content == b"ignored: payment already succeeded"
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.SUCCEEDED
    assert repayments(loan).count() == 1


def test_dispute_reverses_and_flags(client, payment, loan, world):
    post_event(client, succeeded(payment))
    data = event(
        "charge.dispute.created", payment_intent=payment.payment_intent_id, amount=payment.amount, currency="SEK"
    )
    assert post_event(client, data).status_code == 200
    assert LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REVERSAL).count() == 1
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.DISPUTED and "fraudulent" in payment.flag


def test_partial_refund_is_flagged_not_reversed(client, payment, loan):
    post_event(client, succeeded(payment))
    data = refunded(payment)
    data["data"]["object"]["amount_refunded"] = 100
    assert post_event(client, data).content == b"flagged: partial refund"
    assert not LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REVERSAL).exists()


def test_unknown_payment_intent_and_other_types_are_stored_and_ignored(client, stripe_on, loan):
    data = event("payment_intent.succeeded", payment_intent="pi_not_ours", amount=Decimal("10"), currency="SEK")
    assert post_event(client, data).content == b"ignored: unknown payment intent"
    other = dict(data, id="evt_other_type", type="customer.created")
    assert post_event(client, other).content == b"ignored: customer.created"
    assert StripeEvent.objects.count() == 2
    assert not repayments(loan).exists()


def test_payment_on_a_closed_loan_is_flagged(client, payment, loan, world):
    services.loan_write_off(by=world.manager, loan_id=loan.pk, reason="Moved abroad")
    assert post_event(client, succeeded(payment)).content == b"flagged: could not be applied"
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.MISMATCH and payment.needs_manager
