"""Online repayments: start a payment, apply Stripe's webhook events exactly once, reconcile.

Money reaches the ledger only through loans.services.repayment_record / repayment_reverse, keyed by the
PaymentIntent id (or the refund's charge / the dispute id), so whatever arrives twice or out of order is applied
once. These are system actions: `by=None` (the ledger and the timeline show no person) and no access check.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from neem import access

from .. import services as loan_services
from ..models import EntryKind, LedgerEntry, Loan, LoanStatus
from . import stripe_api
from .models import OnlinePayment, StripeEvent

log = logging.getLogger(__name__)

METHOD = "card (Stripe)"
Status = OnlinePayment.Status


def online_payment_available() -> bool:
    return stripe_api.is_configured()


def round_up_for_card(amount: Decimal, currency: str) -> Decimal:
    """A card can only pay whole minor units: round what is owed up (the few öre/đồng extra become credit)."""
    step = Decimal(1).scaleb(-stripe_api.exponent(currency))
    return Decimal(amount).quantize(step, rounding=ROUND_CEILING).quantize(Decimal("0.01"))


def payment_start(*, by, loan: Loan, amount: Decimal, instalment_number: int | None, nonce: str) -> OnlinePayment:
    """Create the PaymentIntent and its row. The same form sent twice (same nonce) gives the same payment."""
    if not online_payment_available():
        raise Refused(_("Online payment is not available."))
    if loan.case.participant.user_id != by.pk:
        raise NotAllowed(_("Only the borrower can pay her loan online."))
    if loan.status != LoanStatus.ACTIVE:
        raise Refused(_("This loan cannot be paid now."))
    amount = Decimal(amount)
    try:
        stripe_api.to_minor(amount, loan.currency)
    except ValueError as exc:
        raise Refused(_("This amount cannot be paid by card in %(currency)s.") % {"currency": loan.currency}) from exc
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise Refused(_("Enter an amount above zero."))
    existing = OnlinePayment.objects.filter(loan=loan, nonce=nonce).first()
    if existing:
        return existing
    metadata = {"neem_loan": loan.pk, "neem_instalment": instalment_number or "", "neem_nonce": nonce}
    try:
        intent = stripe_api.create_payment_intent(
            amount, loan.currency, metadata, idempotency_key=f"neem-pay-{loan.pk}-{nonce}"
        )
    except stripe_api.StripeUnavailable as exc:
        log.warning("Stripe refused a PaymentIntent for loan %s: %s", loan.pk, exc)
        raise Refused(_("Online payment is not available right now. Please try again later.")) from exc
    try:
        payment, _created = OnlinePayment.objects.get_or_create(
            payment_intent_id=intent.id,
            defaults={
                "loan": loan,
                "nonce": nonce,
                "instalment_number": instalment_number,
                "amount": amount,
                "currency": loan.currency,
                "created_by": by,
            },
        )
    except IntegrityError:  # the same form at the same moment; Stripe's idempotency gave the same intent
        payment = OnlinePayment.objects.get(loan=loan, nonce=nonce)
    return payment


def new_nonce() -> str:
    return uuid.uuid4().hex


# --- Webhooks ------------------------------------------------------------------------------------------------


@dataclass
class WebhookAnswer:
    status: int
    result: str


def webhook_receive(*, payload: bytes, sig_header: str | None) -> WebhookAnswer:
    """Verify, store once per event id, check the API version, dispatch. Bad signatures write nothing."""
    try:
        event = stripe_api.construct_event(payload, sig_header)
    except stripe_api.InvalidWebhook as exc:
        return WebhookAnswer(400, f"invalid: {exc}")
    try:
        with transaction.atomic():
            stored, _created = StripeEvent.objects.get_or_create(
                event_id=event["id"],
                defaults={
                    "type": str(event.get("type", ""))[:100],
                    "api_version": str(event.get("api_version") or "")[:40],
                    "payload": event,
                },
            )
    except IntegrityError:  # the same event delivered twice at once
        stored = StripeEvent.objects.get(event_id=event["id"])
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(pk=stored.pk)
        if stored.processed_at is not None:
            return WebhookAnswer(400 if stored.result.startswith("rejected") else 200, stored.result)
        if stored.api_version != settings.STRIPE_API_VERSION:
            # Refused loudly (Stripe shows the failures on the endpoint) and kept: the endpoint is set up with
            # another version, whose payloads the handlers below do not read.
            result, status = f"rejected: api version {stored.api_version or 'missing'}", 400
        else:
            handler = HANDLERS.get(stored.type)
            result = handler(stored, stored.payload["data"]["object"]) if handler else f"ignored: {stored.type}"
            status = 200
        stored.result = result[:500]
        stored.processed_at = timezone.now()
        stored.save(update_fields=["result", "processed_at", "payment"])
    return WebhookAnswer(status, stored.result)


def _locked_payment(event: StripeEvent, payment_intent_id: str | None) -> OnlinePayment | None:
    if not payment_intent_id:
        return None
    payment = OnlinePayment.objects.select_for_update().filter(payment_intent_id=payment_intent_id).first()
    event.payment = payment
    return payment


def _event_day(event: StripeEvent) -> date:
    created = event.payload.get("created")
    if not created:
        return timezone.localdate()
    return timezone.localdate(datetime.fromtimestamp(int(created), tz=timezone.get_current_timezone()))


def _flag(payment: OnlinePayment, text: str, *, status: str | None = None) -> None:
    payment.flag = text[:500]
    payment.flag_resolved_at = None
    if status:
        payment.status = status
    payment.save()


def _record_success(event: StripeEvent, payment: OnlinePayment, *, minor_amount: int, currency: str) -> str:
    """Apply the money received once, or flag it when it is not what was asked."""
    if payment.entry_id:
        return "already recorded"
    currency = currency.upper()
    received = stripe_api.from_minor(minor_amount, currency)
    payment.received_amount, payment.received_currency = received, currency
    if currency != payment.currency or received != payment.amount:
        _flag(
            payment,
            _("Stripe received %(got)s %(got_currency)s but %(asked)s %(asked_currency)s was asked. Not applied.")
            % {"got": received, "got_currency": currency, "asked": payment.amount, "asked_currency": payment.currency},
            status=Status.MISMATCH,
        )
        return "flagged: amount or currency mismatch"
    try:
        entry = loan_services.repayment_record(
            by=None,
            loan_id=payment.loan_id,
            amount=received,
            on=_event_day(event),
            method=METHOD,
            external_reference=payment.payment_intent_id,
            note=_("Paid online"),
            check_access=False,
        )
    except Refused as exc:
        _flag(payment, _("The payment could not be applied: %(why)s") % {"why": exc.message}, status=Status.MISMATCH)
        return "flagged: could not be applied"
    payment.entry = entry
    if payment.status in (Status.CREATED, Status.FAILED):
        payment.status = Status.SUCCEEDED
        payment.failure_message = ""
    payment.save()
    return "recorded"


def _on_succeeded(event: StripeEvent, intent: dict) -> str:
    payment = _locked_payment(event, intent.get("id"))
    if payment is None:
        return "ignored: unknown payment intent"
    if payment.status == Status.MISMATCH:
        return "already flagged"
    amount = intent.get("amount_received", intent.get("amount"))
    return _record_success(event, payment, minor_amount=amount, currency=intent.get("currency", ""))


def _on_failed(event: StripeEvent, intent: dict) -> str:
    payment = _locked_payment(event, intent.get("id"))
    if payment is None:
        return "ignored: unknown payment intent"
    if payment.status not in (Status.CREATED, Status.FAILED):
        return f"ignored: payment already {payment.status}"
    error = intent.get("last_payment_error") or {}
    payment.status = Status.FAILED
    payment.failure_message = (error.get("message") or _("Your card was not charged."))[:500]
    payment.save()
    return "failed"


def _reverse(payment: OnlinePayment, *, reference: str, reason: str) -> None:
    loan_services.repayment_reverse(
        by=None, entry_id=payment.entry_id, reason=reason, external_reference=reference, check_access=False
    )


def _on_refunded(event: StripeEvent, charge: dict) -> str:
    payment = _locked_payment(event, stripe_api.object_id(charge.get("payment_intent")))
    if payment is None:
        return "ignored: unknown payment intent"
    currency = charge.get("currency", "")
    refunded = stripe_api.from_minor(charge.get("amount_refunded") or 0, currency)
    if charge.get("amount_refunded", 0) < charge.get("amount", 0):
        _flag(
            payment,
            _("Stripe refunded %(refunded)s %(currency)s of this payment. Reverse it and record what stayed.")
            % {"refunded": refunded, "currency": currency.upper()},
        )
        return "flagged: partial refund"
    if payment.entry_id is None and payment.status != Status.MISMATCH:
        # The refund came before the success: the charge says what was paid; record it, then reverse it.
        _record_success(event, payment, minor_amount=charge.get("amount", 0), currency=currency)
    if payment.entry_id is None:
        if not payment.flag:
            _flag(payment, _("A payment that was never applied was refunded."))
        payment.status = Status.REFUNDED if payment.status != Status.MISMATCH else payment.status
        payment.save()
        return "refunded: nothing was applied"
    _reverse(payment, reference=f"stripe-refund:{charge['id']}", reason=_("Refunded by card (Stripe)"))
    payment.status = Status.REFUNDED
    payment.save()
    return "reversed"


def _on_dispute(event: StripeEvent, dispute: dict) -> str:
    payment = _locked_payment(event, stripe_api.object_id(dispute.get("payment_intent")))
    if payment is None:
        return "ignored: unknown payment intent"
    if payment.entry_id is None and payment.status != Status.MISMATCH:
        _record_success(event, payment, minor_amount=dispute.get("amount", 0), currency=dispute.get("currency", ""))
    if payment.entry_id:
        _reverse(payment, reference=f"stripe-dispute:{dispute['id']}", reason=_("Disputed by the card holder"))
    _flag(
        payment,
        _("The card holder disputed this payment (%(reason)s). It was reversed; answer the dispute in Stripe.")
        % {"reason": dispute.get("reason") or "?"},
        status=Status.DISPUTED,
    )
    return "reversed: dispute"


HANDLERS = {
    "payment_intent.succeeded": _on_succeeded,
    "payment_intent.payment_failed": _on_failed,
    "charge.refunded": _on_refunded,
    "charge.dispute.created": _on_dispute,
}


# --- Managers ------------------------------------------------------------------------------------------------


def flagged_payments(user):
    programmes = access.scope_of(user).manager_programmes
    return (
        OnlinePayment.objects.filter(loan__case__programme__in=programmes)
        .exclude(flag="")
        .select_related("loan__case__participant", "flag_resolved_by")
        .order_by("flag_resolved_at", "-updated_at")
    )


def flag_resolve(*, by, payment_id: int, note: str) -> OnlinePayment:
    note = (note or "").strip()
    if not note:
        raise Refused(_("Say what was done."))
    with transaction.atomic():
        payment = OnlinePayment.objects.select_for_update(of=("self",)).select_related("loan__case").get(pk=payment_id)
        if payment.loan.case.programme_id not in access.scope_of(by).manager_programmes:
            raise NotAllowed(_("Only the programme manager can clear this."))
        payment.flag_resolved_at = timezone.now()
        payment.flag_resolved_by = by
        payment.flag_resolution = note[:500]
        payment.save()
    return payment


# --- Reconciliation ------------------------------------------------------------------------------------------


@dataclass
class ReconciliationRow:
    payment_intent_id: str
    stripe_amount: Decimal | None = None
    stripe_currency: str = ""
    stripe_refunded: Decimal = Decimal("0")
    stripe_day: date | None = None
    neem_amount: Decimal | None = None
    neem_currency: str = ""
    neem_day: date | None = None
    neem_reversed: bool = False
    loan_id: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Reconciliation:
    start: date
    end: date
    rows: list[ReconciliationRow]

    @property
    def mismatches(self) -> list[ReconciliationRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def reconciled(self) -> bool:
        return not self.mismatches


def reconcile(*, start: date, end: date, programmes=None) -> Reconciliation:
    """Stripe's succeeded card payments of the days next to the repayments recorded from them.

    Matched by PaymentIntent id across any dates, so a payment made late on one day and recorded the next is
    not a mismatch. `programmes` limits Neem's side (and Stripe's payments known to Neem) to those programmes.
    """
    stripe_side = {p.payment_intent_id: p for p in stripe_api.list_succeeded(start, end)}
    online = OnlinePayment.objects.select_related("loan")
    entries = LedgerEntry.objects.filter(kind=EntryKind.REPAYMENT, method=METHOD).select_related("loan")
    if programmes is not None:
        online = online.filter(loan__case__programme__in=programmes)
        entries = entries.filter(loan__case__programme__in=programmes)
    in_range = {e.external_reference: e for e in entries.filter(value_date__range=(start, end))}
    known = {e.external_reference: e for e in entries.filter(external_reference__in=list(stripe_side))}
    payments = {p.payment_intent_id: p for p in online.filter(payment_intent_id__in=[*stripe_side, *in_range])}
    any_online = set(
        OnlinePayment.objects.filter(payment_intent_id__in=list(stripe_side)).values_list(
            "payment_intent_id", flat=True
        )
    )
    reversed_ids = set(
        LedgerEntry.objects.filter(reverses__in=[*in_range.values(), *known.values()]).values_list(
            "reverses_id", flat=True
        )
    )
    rows = []
    for pi in sorted(set(stripe_side) | set(in_range)):
        theirs = stripe_side.get(pi)
        ours = in_range.get(pi) or known.get(pi)
        if theirs and pi in any_online and pi not in payments:
            continue  # another programme's payment
        row = ReconciliationRow(payment_intent_id=pi)
        if theirs:
            row.stripe_amount, row.stripe_currency = theirs.amount, theirs.currency
            row.stripe_refunded, row.stripe_day = theirs.refunded_amount, timezone.localdate(theirs.created)
        if ours:
            row.neem_amount, row.neem_currency, row.neem_day = ours.amount, ours.loan.currency, ours.value_date
            row.neem_reversed, row.loan_id = ours.pk in reversed_ids, ours.loan_id
        elif pi in payments:
            row.loan_id = payments[pi].loan_id
        if ours and not theirs:
            # Paid before the range at Stripe? Ask for that one payment before calling it missing.
            try:
                intent = stripe_api.retrieve_payment_intent(pi)
            except stripe_api.StripeUnavailable:
                intent = None
            if intent and intent.status == "succeeded":
                row.stripe_amount, row.stripe_currency = intent.amount, intent.currency
            else:
                row.problems.append(_("recorded in Neem, but Stripe has no succeeded payment"))
        if theirs and not ours:
            flagged = payments.get(pi)
            if flagged and flagged.status == Status.MISMATCH:
                row.problems.append(_("received by Stripe, flagged and not applied: %(why)s") % {"why": flagged.flag})
            else:
                row.problems.append(_("received by Stripe, not recorded in Neem"))
        both = row.stripe_amount is not None and row.neem_amount is not None
        if both and (row.stripe_currency, row.stripe_amount) != (row.neem_currency, row.neem_amount):
            row.problems.append(_("the amounts differ"))
        if row.stripe_refunded and row.neem_amount is not None and not row.neem_reversed:
            row.problems.append(_("refunded at Stripe, not reversed in Neem"))
        if row.neem_reversed and theirs and not row.stripe_refunded:
            row.problems.append(_("reversed in Neem, not refunded at Stripe"))
        rows.append(row)
    return Reconciliation(start=start, end=end, rows=rows)


def borrower_panel(loan: Loan) -> dict:
    """For the borrower's loan page: whether she can pay online, and what happened to her latest tries."""
    return {
        "available": online_payment_available() and loan.status == LoanStatus.ACTIVE,
        "recent": list(loan.online_payments.order_by("-created_at")[:3]),
    }
