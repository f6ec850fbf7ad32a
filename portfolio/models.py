"""Savings groups and their ledger, credit statements, and follow-up visits after the loan."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coaching.models import CaseFile, Participant
from neem.languages import language_choices
from neem.models import Programme, Region

ZERO = Decimal("0")
MONEY = {"max_digits": 14, "decimal_places": 2}


class SavingsPolicy(models.Model):
    """Whether a programme asks for savings before a loan (seed 000: a third of the need, saved in a group)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="savings_policy")
    required = models.BooleanField(
        _("a savings group must have saved a third of its loan need before a loan"), default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("savings policy")
        verbose_name_plural = _("savings policies")

    def __str__(self) -> str:
        return str(self.programme)


class SavingsGroup(models.Model):
    """Participants who save together before borrowing (often a coaching cohort)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="savings_groups")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="savings_groups")
    name = models.CharField(_("name"), max_length=120)
    # No cohort model exists yet: a free-text label until one does.
    cohort = models.CharField(_("cohort"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("savings group")
        verbose_name_plural = _("savings groups")
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="savings_group_name_unique")]

    def __str__(self) -> str:
        return self.name


class SavingsMember(models.Model):
    """A case in a group, with the loan she means to ask for: the group's need is the sum of these."""

    group = models.ForeignKey(SavingsGroup, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="savings_memberships")
    loan_need = models.DecimalField(
        _("loan needed"),
        validators=[MinValueValidator(ZERO)],
        default=ZERO,
        help_text=_("In the programme's currency."),
        **MONEY,
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("savings group member")
        verbose_name_plural = _("savings group members")
        ordering = ["group", "case__participant__last_name"]
        constraints = [models.UniqueConstraint(fields=["group", "case"], name="savings_member_unique")]

    def __str__(self) -> str:
        return f"{self.case.participant} ({self.group})"


class SavingsMeeting(models.Model):
    group = models.ForeignKey(SavingsGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=5000)
    attended = models.ManyToManyField(SavingsMember, blank=True, related_name="meetings", verbose_name=_("present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("savings group meeting")
        verbose_name_plural = _("savings group meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.group} {self.date}"


class SavingsEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Savings entries are immutable: record a reversing entry instead.")

    def delete(self):
        raise TypeError("Savings entries are immutable: record a reversing entry instead.")


class SavingsEntry(models.Model):
    """An immutable movement of a member's savings. `amount` is signed: contributions +, withdrawals −,
    a reversal the negation of the entry it reverses. A member's balance is the sum of her entries."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        WITHDRAWAL = "withdrawal", _("withdrawal")
        REVERSAL = "reversal", _("reversal")

    group = models.ForeignKey(SavingsGroup, on_delete=models.PROTECT, related_name="entries")
    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="savings_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=120, null=True, blank=True, unique=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavingsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("savings entry")
        verbose_name_plural = _("savings entries")
        ordering = ["group", "date", "id"]
        indexes = [models.Index(fields=["group", "case"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="contribution") | models.Q(amount__gt=0), name="savings_contribution_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="withdrawal") | models.Q(amount__lt=0), name="savings_withdrawal_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.date})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Savings entries are immutable: record a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Savings entries are immutable: record a reversing entry instead.")


class CreditStatement(models.Model):
    """A PDF of a participant's loans and repayments she can show a bank; verifiable by its code."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="credit_statements")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    code = models.CharField(_("verification code"), max_length=64, unique=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit statement")
        verbose_name_plural = _("credit statements")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant} {self.issued_at:%Y-%m-%d}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CompanyStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class FollowUpVisit(models.Model):
    """The adviser's visit after the loan or the programme: the business's figures against the intake baseline."""

    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="follow_up_visits")
    date = models.DateField(_("date of the visit"))
    turnover = models.DecimalField(
        _("turnover per month"), null=True, blank=True, validators=[MinValueValidator(ZERO)], **MONEY
    )
    profit = models.DecimalField(_("profit per month"), null=True, blank=True, **MONEY)
    employees = models.PositiveSmallIntegerField(_("employees (besides her)"), null=True, blank=True)
    household_income = models.DecimalField(
        _("household income per month"), null=True, blank=True, validators=[MinValueValidator(ZERO)], **MONEY
    )
    company_status = models.CharField(_("the company is"), max_length=10, choices=CompanyStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["case", "-date"])]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"
