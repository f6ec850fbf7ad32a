"""The Stripe wrapper against localstripe: minor units, PaymentIntents, refunds, listings, signatures."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from loans.payments import stripe_api
from tests.payments.stripe_world import WEBHOOK_SECRET, sign

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1086.22", "SEK", 108622),
        ("1086.2", "sek", 108620),
        ("50000", "VND", 50000),
        ("50000.00", "VND", 50000),
        ("1200", "JPY", 1200),
        ("12.345", "BHD", 12345),
        ("12.5", "KWD", 12500),
    ],
)
def test_amounts_go_to_minor_units_with_the_currency_exponent(amount, currency, minor):
    assert stripe_api.to_minor(Decimal(amount), currency) == minor


@pytest.mark.parametrize(("amount", "currency"), [("100.50", "VND"), ("1.5", "JPY"), ("1.001", "SEK")])
def test_an_amount_finer_than_the_currency_is_refused(amount, currency):
    with pytest.raises(ValueError):
        stripe_api.to_minor(Decimal(amount), currency)


def test_minor_units_come_back_as_two_place_decimals():
    assert stripe_api.from_minor(108622, "sek") == Decimal("1086.22")
    assert stripe_api.from_minor(50000, "VND") == Decimal("50000.00")
    assert str(stripe_api.from_minor(50000, "VND")) == "50000.00"


def test_nothing_but_the_wrapper_imports_stripe():
    importers = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "var", "tests"} or "site-packages" in parts:
            continue
        if re.search(r"^\s*(import stripe|from stripe\b)", path.read_text(), re.MULTILINE):
            importers.append("/".join(parts))
    assert importers == ["loans/payments/stripe_api.py"]


def test_create_payment_intent_in_minor_units_with_metadata(stripe_on):
    intent = stripe_api.create_payment_intent(
        Decimal("1086.22"), "SEK", {"neem_loan": 7, "neem_instalment": 2}, idempotency_key="t-1"
    )
    assert intent.id.startswith("pi_") and intent.client_secret.startswith(intent.id)
    assert intent.status == "requires_payment_method"
    assert (intent.amount, intent.currency) == (Decimal("1086.22"), "SEK")
    assert intent.metadata == {"neem_loan": "7", "neem_instalment": "2"}
    again = stripe_api.retrieve_payment_intent(intent.id)
    assert again.amount == Decimal("1086.22")


def test_zero_decimal_currency_is_sent_as_whole_units(stripe_on, localstripe):
    intent = stripe_api.create_payment_intent(Decimal("250000"), "VND", {}, idempotency_key="t-2")
    assert intent.amount == Decimal("250000.00")
    request = urllib.request.Request(
        f"{localstripe}/v1/payment_intents/{intent.id}", headers={"Authorization": "Bearer sk_test_x"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 - localstripe
        raw = json.loads(response.read())
    assert (raw["amount"], raw["currency"]) == (250000, "vnd")


def test_confirm_with_a_test_card_at_creation_then_refund_and_list(stripe_on):
    intent = stripe_api.create_payment_intent(
        Decimal("500.00"), "SEK", {}, idempotency_key="t-3", payment_method="pm_card_visa", confirm=True
    )
    assert intent.status == "succeeded"
    assert intent.latest_charge.startswith("ch_")
    today = timezone.localdate()
    listed = stripe_api.list_succeeded(today, today)
    assert [(p.payment_intent_id, p.amount, p.refunded_amount) for p in listed] == [
        (intent.id, Decimal("500.00"), Decimal("0.00"))
    ]
    refund = stripe_api.refund(intent.id)
    assert refund["status"] == "succeeded" and refund["charge"] == intent.latest_charge
    (listed,) = stripe_api.list_succeeded(today, today)
    assert listed.refunded_amount == Decimal("500.00")
    assert stripe_api.list_succeeded(today - timedelta(days=3), today - timedelta(days=1)) == []


def test_a_declined_test_card_is_refused(stripe_on):
    with pytest.raises(stripe_api.StripeUnavailable):
        stripe_api.create_payment_intent(
            Decimal("10.00"),
            "SEK",
            {},
            idempotency_key="t-4",
            payment_method="pm_card_chargeCustomerFail",
            confirm=True,
        )


def test_construct_event_checks_the_signature(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "x"})
    assert stripe_api.construct_event(payload.encode(), sign(payload))["id"] == "evt_1"
    for header in (
        sign(payload, secret="whsec_other"),
        sign(payload, timestamp=int(time.time()) - 600),
        "",
        "nonsense",
    ):
        with pytest.raises(stripe_api.InvalidWebhook):
            stripe_api.construct_event(payload.encode(), header)
    with pytest.raises(stripe_api.InvalidWebhook):
        stripe_api.construct_event(b"not json", sign("not json"))


def test_construct_event_without_a_secret_refuses(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = json.dumps({"id": "evt_1", "object": "event"})
    with pytest.raises(stripe_api.InvalidWebhook):
        stripe_api.construct_event(payload, sign(payload))
