"""Consent texts and consents, the access log, erasures and the retention rule per programme."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from neem.languages import language_choices


class Purpose(models.TextChoices):
    PROGRAMME = "programme", _("taking part in the programme (case file, coaching, loans)")
    SENSITIVE = "sensitive", _("recording background and residence status for eligibility and statistics")
    CONTACT = "contact", _("reminders and messages by e-mail and SMS")
    FOLLOW_UP = "follow_up", _("being contacted after the programme (check-ins)")
    STORY = "story", _("her story on the public site")
    SIGN_UP = "sign_up", _("being contacted after signing up on the public site")


class ConsentText(models.Model):
    """A version of the text a participant agrees to, per programme, purpose and language. Never edited once used:
    a change is a new version."""

    programme = models.ForeignKey("neem.Programme", on_delete=models.CASCADE, related_name="consent_texts")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))
    published_on = models.DateField(_("in use from"), default=timezone.localdate)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["programme", "purpose", "language", "-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "purpose", "language", "version"], name="consent_text_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version} ({self.language})"


class ConsentRecord(models.Model):
    """She agreed to one purpose, in the words of one text version; a withdrawal closes the record."""

    participant = models.ForeignKey("coaching.Participant", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records", verbose_name=_("text"))
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-id"]
        constraints = [
            # One consent in force per purpose; a new one needs the old withdrawn (or is a no-op).
            models.UniqueConstraint(
                fields=["participant", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_consent_in_force_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.purpose} v{self.text_id}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class AccessLog(models.Model):
    """Who opened or exported a participant's personal data, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("opened the case page")
        VIEW_APPLICATION = "view_application", _("opened a loan application")
        VIEW_LOAN = "view_loan", _("opened a loan")
        VIEW_PLAN = "view_plan", _("opened her business plan")
        VIEW_MODULE = "view_module", _("opened a coaching module of hers")
        VIEW_HEALTH_CHECK = "view_health_check", _("opened a health check of hers")
        EXPORT_JSON = "export_json", _("exported her data (JSON)")
        EXPORT_PDF = "export_pdf", _("exported her data (PDF)")
        DOWNLOAD = "download", _("downloaded a document")
        ERASE = "erase", _("erased her personal data")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    participant = models.ForeignKey(
        "coaching.Participant", on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    case = models.ForeignKey("coaching.CaseFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    programme = models.ForeignKey("neem.Programme", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "-at"]), models.Index(fields=["participant", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.participant_id}"


class Erasure(models.Model):
    """A participant's personal data was erased: by whom, why, and what each app changed. Names nobody."""

    class Trigger(models.TextChoices):
        REQUEST = "request", _("her request")
        RETENTION = "retention", _("retention period over")

    participant = models.OneToOneField(
        "coaching.Participant", on_delete=models.PROTECT, related_name="erasure", verbose_name=_("participant")
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=40, unique=True)
    trigger = models.CharField(_("why"), max_length=20, choices=Trigger.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    summary = models.JSONField(_("rows changed per part"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.pseudonym


class RetentionRule(models.Model):
    """How long a programme keeps the personal data of closed and withdrawn cases (set by administrators)."""

    programme = models.OneToOneField("neem.Programme", on_delete=models.CASCADE, related_name="retention_rule")
    years_after_closing = models.PositiveSmallIntegerField(
        _("years after closing"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Personal data of a case closed or withdrawn this many years ago is anonymised by the daily run. "
            "Loans and their ledger are kept under a pseudonym."
        ),
    )
    active = models.BooleanField(_("apply the rule"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.programme}: {self.years_after_closing}"


DEFAULT_RETENTION_YEARS = 7
