"""What the participant's own pages add: documents, the message thread, reminders and check-ins."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Documents live outside the web root (settings STORAGES["private"]); a callable keeps migrations stable."""
    return storages["private"]


def document_path(instance: Document, filename: str) -> str:
    # The stored name never comes from the upload: a random name under the case, the checked extension.
    return f"cases/{instance.case_id}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        ID = "id", _("ID document")
        PERMIT = "permit", _("permit")
        QUOTE = "quote", _("quote")
        CONTRACT = "contract", _("contract")
        OTHER = "other", _("other")

    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=private_storage, upload_to=document_path, max_length=300)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    """One message in the thread between the participant and her adviser."""

    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_participant = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class ReminderPreference(models.Model):
    """The participant's choice of reminders. No row: both channels on."""

    participant = models.OneToOneField(
        "coaching.Participant", on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email = models.BooleanField(_("send me reminders by e-mail"), default=True)
    sms = models.BooleanField(_("send me reminders by text message (SMS)"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"{self.participant_id}: e-mail {self.email}, sms {self.sms}"


class ReminderLog(models.Model):
    """A reminder that was sent. The unique key makes a second run of the same task a no-op."""

    class Kind(models.TextChoices):
        INSTALMENT_DUE = "instalment_due", _("instalment due soon")
        INSTALMENT_OVERDUE = "instalment_overdue", _("instalment overdue")
        SESSION_TOMORROW = "session_tomorrow", _("session tomorrow")
        MODULE_SIGN_OFF = "module_sign_off", _("module waiting for sign-off")
        CHECK_IN = "check_in", _("check-in after the programme")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("about"), max_length=100, help_text=_("e.g. instalment:12, session:4:case:7"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    case = models.ForeignKey(
        "coaching.CaseFile", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    recipient = models.CharField(_("sent to"), max_length=254)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key", "channel"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.channel}"


class CheckIn(models.Model):
    """A short questionnaire 6 or 12 months after a case closed; the link in its e-mail is a signed token."""

    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="check_ins")
    months = models.PositiveSmallIntegerField(_("months after the programme"))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    company_running = models.BooleanField(_("my company is running"), null=True)
    employed = models.BooleanField(_("I have a job"), null=True)
    studying = models.BooleanField(_("I study"), null=True)
    other = models.TextField(_("something else"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["case", "months"]
        constraints = [models.UniqueConstraint(fields=["case", "months"], name="check_in_once")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.months}m"
