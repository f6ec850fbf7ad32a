"""The one module that talks to Stripe. Nothing else imports `stripe`.

Money crosses this boundary as `Decimal` plus an ISO 4217 currency code; Stripe's integer minor units exist only
here. Results come back as plain dicts (stripe 16's objects are not dicts), so callers and tests need no SDK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.utils import timezone

# ISO 4217 exponents that are not 2, as Stripe uses them for amounts.
ZERO_DECIMAL = frozenset(
    ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"],
)
THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])


class StripeUnavailable(Exception):
    """Stripe (or the configured Stripe-protocol server) could not do what was asked."""


class InvalidWebhook(Exception):
    """The payload is not signed with our endpoint secret, is too old, or is not JSON."""


def exponent(currency: str) -> int:
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_minor(amount: Decimal, currency: str) -> int:
    """12.50 SEK -> 1250; 50000 VND -> 50000. Refuses an amount finer than the currency allows."""
    places = exponent(currency)
    amount = Decimal(amount)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(f"{amount} has more decimals than {currency.upper()} allows ({places}).")
    return int(amount.scaleb(places))


def from_minor(value: int, currency: str) -> Decimal:
    """1250 SEK -> Decimal('12.50'); 50000 VND -> Decimal('50000.00') (two places, like the ledger)."""
    places = exponent(currency)
    return Decimal(int(value)).scaleb(-places).quantize(Decimal(1).scaleb(-max(places, 2)))


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses=base,
        max_network_retries=2,
    )


def _plain(obj) -> dict[str, Any]:
    return obj.to_dict(recursive=True) if hasattr(obj, "to_dict") else dict(obj)


def _id(value) -> str | None:
    """An expandable field: the id whether Stripe sent the id or (older versions, localstripe) the object."""
    if value is None or isinstance(value, str):
        return value
    return value.get("id") if isinstance(value, dict) else getattr(value, "id", None)


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        raise StripeUnavailable(getattr(exc, "user_message", None) or str(exc)) from exc


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str
    status: str
    amount: Decimal
    currency: str
    metadata: dict
    latest_charge: str | None
    failure_message: str

    @classmethod
    def from_stripe(cls, data: dict) -> Intent:
        currency = data["currency"].upper()
        error = data.get("last_payment_error") or {}
        return cls(
            id=data["id"],
            client_secret=data.get("client_secret") or "",
            status=data["status"],
            amount=from_minor(data["amount"], currency),
            currency=currency,
            metadata=dict(data.get("metadata") or {}),
            latest_charge=_id(data.get("latest_charge")),
            failure_message=error.get("message") or "",
        )


def create_payment_intent(
    amount: Decimal,
    currency: str,
    metadata: dict[str, str],
    idempotency_key: str,
    *,
    payment_method: str | None = None,
    confirm: bool = False,
) -> Intent:
    """A card PaymentIntent. `payment_method` and `confirm` exist for server-side test payments."""
    params: dict[str, Any] = {
        "amount": to_minor(amount, currency),
        "currency": currency.lower(),
        "metadata": {k: str(v) for k, v in metadata.items()},
        "payment_method_types": ["card"],
    }
    if payment_method:
        params["payment_method"] = payment_method
    if confirm:
        params["confirm"] = True
    intent = _call(_client().v1.payment_intents.create, params=params, options={"idempotency_key": idempotency_key})
    return Intent.from_stripe(_plain(intent))


def retrieve_payment_intent(payment_intent_id: str) -> Intent:
    return Intent.from_stripe(_plain(_call(_client().v1.payment_intents.retrieve, payment_intent_id)))


def refund(payment_intent_id: str, *, amount: Decimal | None = None, currency: str | None = None) -> dict:
    """Refund a PaymentIntent's charge (all of it unless `amount` is given). The ledger follows the webhook."""
    params: dict[str, Any] = {"payment_intent": payment_intent_id}
    if amount is not None:
        params["amount"] = to_minor(amount, currency or "")
    data = _plain(_call(_client().v1.refunds.create, params=params))
    return {"id": data["id"], "status": data.get("status"), "charge": _id(data.get("charge"))}


@dataclass(frozen=True)
class SucceededPayment:
    payment_intent_id: str
    charge_id: str
    amount: Decimal
    currency: str
    refunded_amount: Decimal
    created: datetime


def list_succeeded(start: date, end: date) -> list[SucceededPayment]:
    """Succeeded card payments (charges of PaymentIntents) created on the days start..end, local time.

    Lists charges created after `start` and filters the end here: localstripe accepts only one bound (`gt`),
    and a programme's volume makes reading the rest of the list cheap.
    """
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    listing = _call(_client().v1.charges.list, params={"created": {"gt": int(since.timestamp()) - 1}, "limit": 100})
    found = []
    try:
        for charge in listing.auto_paging_iter():
            data = _plain(charge)
            created = datetime.fromtimestamp(data["created"], tz=tz)
            pi = _id(data.get("payment_intent"))
            if not pi or data.get("status") != "succeeded" or not data.get("captured", True):
                continue
            if not since <= created < until:
                continue
            currency = data["currency"].upper()
            found.append(
                SucceededPayment(
                    payment_intent_id=pi,
                    charge_id=data["id"],
                    amount=from_minor(data["amount"], currency),
                    currency=currency,
                    refunded_amount=from_minor(data.get("amount_refunded") or 0, currency),
                    created=created,
                )
            )
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc)) from exc
    return sorted(found, key=lambda p: p.created)


def construct_event(payload: bytes | str, sig_header: str | None) -> dict:
    """Verify the `Stripe-Signature` header with our endpoint secret and return the event as a dict."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidWebhook("No webhook secret is configured.")
    text = payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else payload
    try:
        stripe.WebhookSignature.verify_header(text, sig_header or "", secret, stripe.Webhook.DEFAULT_TOLERANCE)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not isinstance(event, dict) or event.get("object") != "event" or not event.get("id"):
        raise InvalidWebhook("Not a Stripe event.")
    return event


def object_id(value) -> str | None:
    """For the handlers: an expandable field's id in any API version."""
    return _id(value)
