"""Bank transfers and accounting: a programme's bank account and chart of accounts, imported bank
statements and their lines (with the queue of lines a manager decides), and payout files (pain.001)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from loans.models import LedgerEntry, Loan
from neem.models import Programme

MONEY = {"max_digits": 14, "decimal_places": 2}


def iban_is_valid(value: str) -> bool:
    """ISO 13616: two letters, two check digits, up to 30 letters or digits; the whole passes mod 97."""
    iban = (value or "").replace(" ", "").upper()
    if not (15 <= len(iban) <= 34) or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def validate_iban(value: str) -> None:
    if not iban_is_valid(value):
        raise ValidationError(_("This is not a valid IBAN (check the letters, digits and check digits)."))


bic_validator = RegexValidator(
    r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("A BIC has 8 or 11 letters and digits, e.g. SWEDSESS.")
)
account_number_validator = RegexValidator(r"^\d{4,6}$", _("An account number of the chart (BAS): 4 digits."))


class BankAccount(models.Model):
    """The programme's own bank account: the debtor of payout files and the account of its statements."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="bank_account")
    holder_name = models.CharField(_("account holder (the programme's legal name)"), max_length=70)
    organisation_number = models.CharField(
        _("organisation number"), max_length=20, blank=True, help_text=_("e.g. 802400-1234; in payment and SIE files")
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC of the bank"), max_length=11, blank=True, validators=[bic_validator])
    bankgiro = models.CharField(
        _("Bankgiro number"), max_length=9, blank=True, help_text=_("Shown to borrowers with their payment reference.")
    )

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return f"{self.programme}: {self.iban}"

    def save(self, *args, **kwargs):
        self.iban = self.iban.replace(" ", "").upper()
        self.bic = self.bic.replace(" ", "").upper()
        super().save(*args, **kwargs)


class AccountMapping(models.Model):
    """Which account of the programme's chart each part of the lending ledger is booked to (BAS defaults)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="account_mapping")
    principal_receivable = models.CharField(
        _("loans receivable (principal)"), max_length=6, default="1385", validators=[account_number_validator]
    )
    interest_income = models.CharField(
        _("interest income"), max_length=6, default="8310", validators=[account_number_validator]
    )
    fee_income = models.CharField(_("fee income"), max_length=6, default="3990", validators=[account_number_validator])
    penalty_income = models.CharField(
        _("late penalty income"), max_length=6, default="8314", validators=[account_number_validator]
    )
    bank = models.CharField(_("bank"), max_length=6, default="1930", validators=[account_number_validator])
    write_offs = models.CharField(
        _("credit losses (write-offs)"), max_length=6, default="6351", validators=[account_number_validator]
    )
    customer_credit = models.CharField(
        _("borrowers' credit (paid in advance)"), max_length=6, default="2420", validators=[account_number_validator]
    )
    voucher_series = models.CharField(
        _("voucher series"),
        max_length=4,
        default="L",
        validators=[RegexValidator(r"^[A-Za-z0-9]{1,4}$", _("Letters or digits."))],
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("the fiscal year starts in month"), default=1, choices=[(m, str(m)) for m in range(1, 13)]
    )

    class Meta:
        verbose_name = _("account mapping")
        verbose_name_plural = _("account mappings")

    def __str__(self) -> str:
        return str(self.programme)

    @classmethod
    def for_programme(cls, programme) -> AccountMapping:
        mapping, _created = cls.objects.get_or_create(programme=programme)
        return mapping

    def accounts(self) -> dict[str, str]:
        """Role -> account number."""
        return {role: getattr(self, role) for role in ACCOUNT_ROLES}


ACCOUNT_ROLES = (
    "principal_receivable",
    "interest_income",
    "fee_income",
    "penalty_income",
    "bank",
    "write_offs",
    "customer_credit",
)


class BankStatement(models.Model):
    """One imported file: a camt.053 statement or a CSV export of the programme's account."""

    class Format(models.TextChoices):
        CAMT053 = "camt053", _("ISO 20022 camt.053")
        CSV = "csv", _("CSV")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="bank_statements")
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    statement_id = models.CharField(_("statement id"), max_length=140, blank=True)
    account_iban = models.CharField(_("account"), max_length=34, blank=True)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "sha256"], name="statement_file_once")]

    def __str__(self) -> str:
        return self.statement_id or self.file_name


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("applied to a loan by its reference")
    WAITING = "waiting", _("waiting for a manager")
    ASSIGNED = "assigned", _("applied to a loan by a manager")
    REJECTED = "rejected", _("rejected by a manager")
    PAYOUT = "payout", _("confirms a payout")
    DUPLICATE = "duplicate", _("already imported with an earlier statement")
    OTHER = "other", _("not a repayment or a payout (no action)")


class StatementLine(models.Model):
    """One booked transaction of a statement (an entry, or one transaction of a batch entry)."""

    class Direction(models.TextChoices):
        CREDIT = "CRDT", _("in")
        DEBIT = "DBIT", _("out")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    index = models.PositiveIntegerField(_("line"))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    booking_date = models.DateField(_("booked on"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    # The bank's own id of the transaction (AcctSvcrRef, else NtryRef / TxId): what makes an import idempotent.
    bank_reference = models.CharField(_("bank's transaction id"), max_length=140)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=140, blank=True)
    structured_reference = models.CharField(_("reference (structured)"), max_length=140, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    counterparty_name = models.CharField(_("payer or payee"), max_length=140, blank=True)
    counterparty_account = models.CharField(_("their account"), max_length=40, blank=True)
    reversal = models.BooleanField(_("a reversal by the bank"), default=False)

    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices)
    reason = models.CharField(_("why it waits"), max_length=300, blank=True)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_lines")
    suggested_loan = models.ForeignKey(
        Loan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("suggestion")
    )
    suggestion = models.CharField(_("why it is suggested"), max_length=300, blank=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line")
    payout = models.OneToOneField(
        "PayoutOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "index"]
        indexes = [models.Index(fields=["programme", "status"])]
        constraints = [
            # The same bank transaction is imported once per programme, whatever file brings it again.
            models.UniqueConstraint(
                fields=["programme", "bank_reference"],
                condition=~models.Q(status="duplicate"),
                name="bank_transaction_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.direction} {self.amount} {self.currency} ({self.bank_reference})"

    @property
    def is_waiting(self) -> bool:
        return self.status == LineStatus.WAITING


class LineDecision(models.Model):
    """What was done with a line, by whom, when and why: the queue's log (also the automatic matches)."""

    class Action(models.TextChoices):
        MATCHED = "matched", _("matched by reference")
        QUEUED = "queued", _("put in the queue")
        ASSIGNED = "assigned", _("assigned to a loan")
        REJECTED = "rejected", _("rejected")
        PAYOUT = "payout", _("payout confirmed")

    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("why"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a statement line")
        verbose_name_plural = _("decisions on statement lines")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"


class PayoutAccount(models.Model):
    """Where a borrower's loan is paid out to (entered by a manager before the payout file is made)."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="payout_account")
    holder_name = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[bic_validator])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return f"{self.holder_name} {self.iban}"


class PaymentFile(models.Model):
    """A pain.001 credit-transfer file for the programme's bank: the payouts in it are PayoutOrders."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="payment_files")
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    execution_date = models.DateField(_("to be paid on"))
    number_of_transactions = models.PositiveIntegerField(_("payments"))
    control_sum = models.DecimalField(_("total"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    xml = models.TextField(editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message_id


class PayoutOrder(models.Model):
    """One loan's payout in a payment file; confirmed paid when a statement shows its EndToEndId."""

    payment_file = models.ForeignKey(PaymentFile, on_delete=models.PROTECT, related_name="orders")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="payout_orders")
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    creditor_name = models.CharField(_("paid to"), max_length=70)
    creditor_iban = models.CharField(_("IBAN"), max_length=34)
    creditor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    confirmed_on = models.DateField(_("seen on a statement on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout in a payment file")
        verbose_name_plural = _("payouts in payment files")
        ordering = ["payment_file", "id"]

    def __str__(self) -> str:
        return self.end_to_end_id
