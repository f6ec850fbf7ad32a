"""Helpers for the Stripe tests: signed webhook payloads built from stored fixtures in Stripe's current shape."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal
from pathlib import Path

from loans.payments import stripe_api

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK_SECRET = "whsec_test_neem_0123456789"


def fixture(event_type: str) -> dict:
    return json.loads((FIXTURES / f"{event_type}.json").read_text())


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def event(event_type: str, *, payment_intent: str, amount: Decimal, currency: str, **changes) -> dict:
    """A fixture event about one PaymentIntent, with a fresh event id unless one is given."""
    data = copy.deepcopy(fixture(event_type))
    data["id"] = changes.pop("event_id", None) or f"evt_test_{uuid.uuid4().hex[:20]}"
    data["created"] = int(time.time())
    obj = data["data"]["object"]
    minor = stripe_api.to_minor(Decimal(amount), currency)
    obj["currency"] = currency.lower()
    if obj["object"] == "payment_intent":
        obj["id"] = payment_intent
        obj["amount"] = minor
        obj["amount_received"] = minor if obj["status"] == "succeeded" else 0
        obj["client_secret"] = f"{payment_intent}_secret_fixture"
    elif obj["object"] == "charge":
        obj["payment_intent"] = payment_intent
        obj["id"] = changes.pop("charge_id", None) or f"ch_test_{payment_intent[-12:]}"
        obj["amount"] = obj["amount_captured"] = minor
        obj["amount_refunded"] = minor
    elif obj["object"] == "dispute":
        obj["payment_intent"] = payment_intent
        obj["amount"] = minor
    for key, value in changes.items():
        if key == "api_version":
            data["api_version"] = value
        else:
            obj[key] = value
    return data


def post_event(client, data: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, signature=None):
    payload = json.dumps(data)
    header = signature if signature is not None else sign(payload, secret=secret, timestamp=timestamp)
    return client.post("/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
