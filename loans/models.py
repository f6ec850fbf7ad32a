"""Loan products, applications and committee decisions, loans, their schedules and the immutable ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from coaching.models import CaseFile
from neem.models import Programme

from . import reference
from .engine import ScheduleTerms

ZERO = Decimal("0")
MONEY = {"max_digits": 14, "decimal_places": 2}


class LendingPolicy(models.Model):
    """A programme's lending rules: the committee's quorum and when arrears make work for the adviser."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="lending_policy")
    quorum = models.PositiveSmallIntegerField(
        _("quorum (votes without a conflict of interest)"), default=2, validators=[MinValueValidator(1)]
    )
    arrears_action_days = models.PositiveSmallIntegerField(
        _("days overdue before the adviser is asked to call"), default=7
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lending policy")
        verbose_name_plural = _("lending policies")

    def __str__(self) -> str:
        return str(self.programme)

    @classmethod
    def for_programme(cls, programme) -> LendingPolicy:
        policy, _created = cls.objects.get_or_create(programme=programme)
        return policy


class LoanProduct(models.Model):
    """What a programme lends: amounts, interest, term and how the schedule is built (Fineract's vocabulary)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        BIWEEKLY = "biweekly", _("every 2 weeks")
        MONTHLY = "monthly", _("monthly")

    class InterestMethod(models.TextChoices):
        FLAT = "flat", _("flat")
        DECLINING = "declining", _("declining balance")

    class Amortization(models.TextChoices):
        EQUAL_INSTALLMENTS = "equal_installments", _("equal instalments")
        EQUAL_PRINCIPAL = "equal_principal", _("equal principal")

    class InterestPeriod(models.TextChoices):
        SAME_AS_REPAYMENT = "same_as_repayment", _("same as the repayment period")
        DAILY = "daily", _("daily")

    class DaysInYear(models.TextChoices):
        ACTUAL = "actual", _("actual")
        D360 = "360", "360"
        D364 = "364", "364"
        D365 = "365", "365"

    class DaysInMonth(models.TextChoices):
        ACTUAL = "actual", _("actual")
        D30 = "30", "30"

    class PenaltyKind(models.TextChoices):
        NONE = "none", _("no late penalty")
        FLAT = "flat", _("a flat amount per overdue instalment")
        PERCENT = "percent", _("a percentage of the overdue amount")

    class AllocationOrder(models.TextChoices):
        PENALTY_FIRST = "penalty,fee,interest,principal", _("penalties, fees, interest, principal")
        INTEREST_FIRST = "interest,principal,penalty,fee", _("interest, principal, penalties, fees")
        PRINCIPAL_FIRST = "principal,interest,fee,penalty", _("principal, interest, fees, penalties")

    class EarlyPayoff(models.TextChoices):
        INTEREST_TO_DATE = "to_date", _("interest up to the current instalment only")
        FULL_INTEREST = "full", _("all scheduled interest")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="loan_products")
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("offered"), default=True)
    min_amount = models.DecimalField(_("smallest amount"), validators=[MinValueValidator(Decimal("1"))], **MONEY)
    max_amount = models.DecimalField(_("largest amount"), **MONEY)
    annual_rate = models.DecimalField(
        _("nominal annual interest rate (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    min_term = models.PositiveSmallIntegerField(_("fewest instalments"), validators=[MinValueValidator(1)])
    max_term = models.PositiveSmallIntegerField(_("most instalments"), validators=[MaxValueValidator(520)])
    frequency = models.CharField(_("repayment frequency"), max_length=10, choices=Frequency.choices)
    interest_method = models.CharField(_("interest method"), max_length=12, choices=InterestMethod.choices)
    amortization = models.CharField(_("amortisation"), max_length=20, choices=Amortization.choices)
    interest_period = models.CharField(
        _("interest calculation period"),
        max_length=20,
        choices=InterestPeriod.choices,
        default=InterestPeriod.SAME_AS_REPAYMENT,
    )
    days_in_year = models.CharField(_("days in year"), max_length=6, choices=DaysInYear.choices, default="actual")
    days_in_month = models.CharField(_("days in month"), max_length=6, choices=DaysInMonth.choices, default="actual")
    grace_principal = models.PositiveSmallIntegerField(_("grace on principal (instalments)"), default=0)
    grace_interest_payment = models.PositiveSmallIntegerField(_("grace on interest payment (instalments)"), default=0)
    digits = models.PositiveSmallIntegerField(_("decimal digits"), default=2, validators=[MaxValueValidator(4)])
    installment_multiples_of = models.PositiveIntegerField(_("instalment in multiples of"), null=True, blank=True)
    currency_multiples_of = models.PositiveIntegerField(_("currency in multiples of"), null=True, blank=True)
    fee_flat = models.DecimalField(
        _("fee at disbursement (amount)"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY
    )
    fee_percent = models.DecimalField(
        # xgettext:no-python-format
        _("fee at disbursement (% of the amount)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("20"))],
    )
    penalty_kind = models.CharField(
        _("late penalty"), max_length=10, choices=PenaltyKind.choices, default=PenaltyKind.NONE
    )
    penalty_value = models.DecimalField(
        _("penalty amount or percentage"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY
    )
    penalty_grace_days = models.PositiveSmallIntegerField(_("days overdue before the penalty"), default=7)
    allocation_order = models.CharField(
        _("repayments pay"), max_length=40, choices=AllocationOrder.choices, default=AllocationOrder.PENALTY_FIRST
    )
    early_payoff = models.CharField(
        _("early payoff charges"), max_length=10, choices=EarlyPayoff.choices, default=EarlyPayoff.INTEREST_TO_DATE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def currency(self) -> str:
        return self.programme.currency

    def clean(self) -> None:
        errors = {}
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            errors["max_amount"] = _("The largest amount must be at least the smallest.")
        if self.min_term and self.max_term and self.min_term > self.max_term:
            errors["max_term"] = _("The most instalments must be at least the fewest.")
        if self.min_term and (self.grace_principal >= self.min_term or self.grace_interest_payment >= self.min_term):
            errors["grace_principal"] = _("Grace periods must be shorter than the shortest term.")
        if errors:
            raise ValidationError(errors)

    def terms(self, *, principal: Decimal, installments: int, start_date) -> ScheduleTerms:
        frequency, every = {
            self.Frequency.WEEKLY: ("weeks", 1),
            self.Frequency.BIWEEKLY: ("weeks", 2),
            self.Frequency.MONTHLY: ("months", 1),
        }[self.frequency]
        return ScheduleTerms(
            principal=Decimal(principal),
            annual_rate=Decimal(self.annual_rate),
            installments=int(installments),
            start_date=start_date,
            frequency=frequency,
            repayment_every=every,
            interest_method=self.interest_method,
            amortization=self.amortization,
            interest_period=self.interest_period,
            days_in_year="actual" if self.days_in_year == "actual" else int(self.days_in_year),
            days_in_month="actual" if self.days_in_month == "actual" else int(self.days_in_month),
            grace_principal=self.grace_principal,
            grace_interest_payment=self.grace_interest_payment,
            digits=self.digits,
            currency_multiples_of=self.currency_multiples_of,
            installment_multiples_of=self.installment_multiples_of,
            disbursement_fee_flat=Decimal(self.fee_flat),
            disbursement_fee_percent=Decimal(self.fee_percent),
        )

    def allocation_components(self) -> list[str]:
        return self.allocation_order.split(",")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("before the committee")
    APPROVED = "approved", _("approved")
    APPROVED_WITH_CHANGES = "approved_changed", _("approved with changes")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class LoanApplication(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="loan_applications")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="applications")
    amount = models.DecimalField(_("amount asked"), **MONEY)
    term = models.PositiveSmallIntegerField(_("number of instalments"))
    purpose = models.TextField(_("purpose"), max_length=2000)
    assessment = models.TextField(_("adviser's assessment"), max_length=10_000)
    plan_snapshot = models.JSONField(_("the approved business plan"), default=dict, blank=True)
    status = FSMField(_("status"), default=ApplicationStatus.DRAFT, choices=ApplicationStatus.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_amount = models.DecimalField(_("approved amount"), null=True, blank=True, **MONEY)
    approved_term = models.PositiveSmallIntegerField(_("approved number of instalments"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True, max_length=5000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.case.participant} — {self.amount} {self.product.currency}"

    @property
    def is_decided(self) -> bool:
        return self.status in (
            ApplicationStatus.APPROVED,
            ApplicationStatus.APPROVED_WITH_CHANGES,
            ApplicationStatus.REJECTED,
        )

    @transition(field=status, source=ApplicationStatus.DRAFT, target=ApplicationStatus.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.APPROVED_WITH_CHANGES)
    def approve_with_changes(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.REJECTED)
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=status, source=[ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED], target=ApplicationStatus.WITHDRAWN
    )
    def withdraw(self) -> None:
        pass


class Vote(models.Model):
    class Choice(models.TextChoices):
        APPROVE = "approve", _("approve")
        APPROVE_WITH_CHANGES = "approve_changed", _("approve with changes")
        REJECT = "reject", _("reject")

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loan_votes")
    conflict_of_interest = models.BooleanField(_("I have a conflict of interest"), default=False)
    choice = models.CharField(_("vote"), max_length=20, choices=Choice.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["application", "member"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice or 'conflict'}"


class LoanStatus(models.TextChoices):
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("waiting for the participant to accept the agreement")
    ACCEPTED = "accepted", _("agreement accepted, not yet paid out")
    ACTIVE = "active", _("paid out, being repaid")
    REPAID = "repaid", _("repaid")
    WRITTEN_OFF = "written_off", _("written off")


class Loan(ConcurrentTransitionMixin, models.Model):
    application = models.OneToOneField(LoanApplication, on_delete=models.PROTECT, related_name="loan")
    case = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="loans")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    currency = models.CharField(max_length=3)
    principal = models.DecimalField(_("amount"), **MONEY)
    term = models.PositiveSmallIntegerField(_("number of instalments"))
    status = FSMField(_("status"), default=LoanStatus.AWAITING_ACCEPTANCE, choices=LoanStatus.choices, protected=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    agreement_sha256 = models.CharField(max_length=64, blank=True)
    agreement_pdf = models.BinaryField(null=True, blank=True, editable=False)
    disbursed_on = models.DateField(_("paid out on"), null=True, blank=True)
    disbursement_method = models.CharField(_("payout method"), max_length=40, blank=True)
    disbursement_reference = models.CharField(_("payout reference"), max_length=100, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    schedule_version = models.PositiveSmallIntegerField(default=0)
    apr = models.DecimalField(_("effective annual rate (%)"), max_digits=8, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # What the borrower writes on a bank transfer (an OCR number, see reference.py); set once, at creation.
    payment_reference = models.CharField(_("payment reference"), max_length=25, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["agreement_pdf"])

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.case.participant} — {self.principal} {self.currency}"

    def save(self, *args, **kwargs):
        if not self.payment_reference:
            self.payment_reference = unused_payment_reference()
        super().save(*args, **kwargs)

    @property
    def payment_reference_display(self) -> str:
        return reference.grouped(self.payment_reference)

    @transition(field=status, source=LoanStatus.AWAITING_ACCEPTANCE, target=LoanStatus.ACCEPTED)
    def accept(self) -> None:
        self.accepted_at = timezone.now()

    @transition(field=status, source=LoanStatus.ACCEPTED, target=LoanStatus.ACTIVE)
    def disburse(self) -> None:
        pass

    @transition(field=status, source=LoanStatus.ACTIVE, target=LoanStatus.REPAID)
    def settle(self) -> None:
        self.closed_on = timezone.localdate()

    @transition(field=status, source=LoanStatus.ACTIVE, target=LoanStatus.WRITTEN_OFF)
    def write_off(self) -> None:
        self.closed_on = timezone.localdate()


def unused_payment_reference() -> str:
    """A new random reference that no loan has (a clash is one in tens of millions: try again)."""
    while True:
        candidate = reference.new_reference()
        if not Loan.objects.filter(payment_reference=candidate).exists():
            return candidate


class Instalment(models.Model):
    """One row of a loan's schedule. A reschedule keeps the old rows (active=False) and adds a new version."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="instalments")
    version = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal = models.DecimalField(**MONEY)
    interest = models.DecimalField(**MONEY)
    fee = models.DecimalField(default=ZERO, **MONEY)
    # Late penalties carried over from an earlier schedule by a reschedule.
    penalty = models.DecimalField(default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "version", "number"], name="instalment_unique"),
        ]
        indexes = [models.Index(fields=["loan", "active", "due_date"])]

    def __str__(self) -> str:
        return f"#{self.number} {self.due_date}"

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee


class EntryKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("payout")
    INTEREST = "interest", _("interest charged")
    FEE = "fee", _("fee charged")
    PENALTY = "penalty", _("late penalty")
    REPAYMENT = "repayment", _("repayment")
    WAIVER = "waiver", _("interest waived")
    REVERSAL = "reversal", _("reversal")
    WRITE_OFF = "write_off", _("write-off")
    RECOVERY = "recovery", _("recovery after write-off")
    REFUND = "refund", _("credit refunded")


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # pragma: no cover - a guard, not a feature
        raise TypeError("Ledger entries are immutable: record a reversing entry instead.")

    def delete(self):  # pragma: no cover
        raise TypeError("Ledger entries are immutable: record a reversing entry instead.")


class LedgerEntry(models.Model):
    """An immutable movement on a loan. Each component is what the borrower owes, signed:
    charges add (+), payments and waivers subtract (−). `credit` is money held for the borrower (+).

    What she owes = principal + interest + fee + penalty − credit, summed over the loan's entries.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    value_date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), help_text=_("Money that moved (repayments, payouts, recoveries)."), **MONEY
    )
    principal = models.DecimalField(default=ZERO, **MONEY)
    interest = models.DecimalField(default=ZERO, **MONEY)
    fee = models.DecimalField(default=ZERO, **MONEY)
    penalty = models.DecimalField(default=ZERO, **MONEY)
    credit = models.DecimalField(default=ZERO, **MONEY)
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, null=True, blank=True, related_name="charges")
    external_reference = models.CharField(max_length=120, null=True, blank=True, unique=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    method = models.CharField(_("method"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["loan", "value_date", "id"]
        indexes = [models.Index(fields=["loan", "kind"])]
        constraints = [
            # A late penalty is charged once per instalment.
            models.UniqueConstraint(
                fields=["instalment"], condition=models.Q(kind="penalty"), name="one_penalty_per_instalment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.value_date})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Ledger entries are immutable: record a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are immutable: record a reversing entry instead.")

    @property
    def owed_change(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty - self.credit


class Allocation(models.Model):
    """How much of an entry went to which instalment, per component (positive = paid or waived)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="allocations")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="allocations")
    principal = models.DecimalField(default=ZERO, **MONEY)
    interest = models.DecimalField(default=ZERO, **MONEY)
    fee = models.DecimalField(default=ZERO, **MONEY)
    penalty = models.DecimalField(default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.instalment_id}"


class Reschedule(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="reschedules")
    from_version = models.PositiveSmallIntegerField()
    to_version = models.PositiveSmallIntegerField()
    outstanding_principal = models.DecimalField(**MONEY)
    term = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    reason = models.TextField(max_length=2000)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reschedule")
        verbose_name_plural = _("reschedules")

    def __str__(self) -> str:
        return f"{self.loan} v{self.from_version}→v{self.to_version}"


# Online payments live in their own module; imported here so they belong to this app.
from .payments.models import OnlinePayment, StripeEvent  # noqa: E402, F401
