"""Online payments and the Stripe events that move them. Imported by loans.models (app label `loans`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 14, "decimal_places": 2}


class OnlinePayment(models.Model):
    """One attempt to pay from the borrower's page: a Stripe PaymentIntent for an amount on a loan.

    The client secret is not stored: the card page reads it from Stripe when it needs it.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("waiting for the card")
        SUCCEEDED = "succeeded", _("paid and recorded")
        FAILED = "failed", _("not paid")
        REFUNDED = "refunded", _("refunded")
        DISPUTED = "disputed", _("disputed by the card holder")
        MISMATCH = "mismatch", _("needs a manager")

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="online_payments")
    instalment_number = models.PositiveSmallIntegerField(_("instalment"), null=True, blank=True)
    amount = models.DecimalField(_("amount asked"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    payment_intent_id = models.CharField(max_length=255, unique=True)
    # From the pay form: the same form sent twice (a double click, a reload) is one payment.
    nonce = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CREATED)
    failure_message = models.CharField(_("why it was not paid"), max_length=500, blank=True)
    received_amount = models.DecimalField(_("amount received"), null=True, blank=True, **MONEY)
    received_currency = models.CharField(_("currency received"), max_length=3, blank=True)
    entry = models.OneToOneField(
        "loans.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="online_payment"
    )
    # Set when something needs a person: an amount or currency that does not match, a partial refund, a dispute.
    flag = models.CharField(_("for a manager"), max_length=500, blank=True)
    flag_resolved_at = models.DateTimeField(null=True, blank=True)
    flag_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    flag_resolution = models.CharField(_("what was done"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["loan", "status"])]
        constraints = [models.UniqueConstraint(fields=["loan", "nonce"], name="one_payment_per_pay_form")]

    def __str__(self) -> str:
        return f"{self.payment_intent_id} {self.amount} {self.currency} ({self.status})"

    @property
    def needs_manager(self) -> bool:
        return bool(self.flag) and self.flag_resolved_at is None


class StripeEvent(models.Model):
    """Every webhook event received with a valid signature, once per Stripe event id."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    api_version = models.CharField(max_length=40, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=500, blank=True)
    payment = models.ForeignKey(OnlinePayment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
