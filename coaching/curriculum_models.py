"""A programme's curriculum, in versions, and each case's progress through it.

A published version is never changed: editing makes a new draft version (a copy), and publishing it
makes it the version that cases entering coaching from then on work through. A case's progress rows
point at the exact modules and checklist items it was signed off against, so its history stays true.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .translated import localized

__all__ = ["ChecklistItem", "Curriculum", "ItemCheck", "Module", "ModuleProgress", "Resource"]


class Curriculum(models.Model):
    """One version of a programme's curriculum. `published_at` empty: the draft being edited."""

    programme = models.ForeignKey("neem.Programme", on_delete=models.CASCADE, related_name="curricula")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curriculum version")
        verbose_name_plural = _("curriculum versions")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="curriculum_version_unique"),
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(published_at__isnull=True), name="curriculum_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Module(models.Model):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    duration_days = models.PositiveSmallIntegerField(
        _("usual time to complete (days)"),
        default=14,
        help_text=_("Sets the due date of the check-in when the module opens."),
    )
    # The module of the previous version this one was copied from: follows a module across versions.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", editable=False
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["curriculum", "order", "id"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self.title)

    @property
    def display_description(self) -> str:
        return localized(self.description)


class ChecklistItem(models.Model):
    """Something the participant must show she knows before the module is approved."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.JSONField(_("text"), default=dict)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["module", "order", "id"]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return localized(self.text)


class Resource(models.Model):
    """A document or link that goes with a module."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="resources")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.JSONField(_("title"), default=dict)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="curriculum/", blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["module", "order", "id"]

    def __str__(self) -> str:
        return self.display_title

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or upload a file."))

    @property
    def display_title(self) -> str:
        return localized(self.title)

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


class ModuleProgress(models.Model):
    """Where one case stands in one module of the version it started coaching with."""

    class Status(models.TextChoices):
        LOCKED = "locked", _("not started")
        OPEN = "open", _("in progress")
        RETURNED = "returned", _("sent back")
        APPROVED = "approved", _("approved")

    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LOCKED)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, help_text=_("The adviser's note at approval, or what is missing."))
    next_action = models.ForeignKey(
        "coaching.NextAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        ordering = ["case", "module__order", "module_id"]
        constraints = [models.UniqueConstraint(fields=["case", "module"], name="module_progress_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.module} ({self.get_status_display()})"

    @property
    def is_workable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.RETURNED)


class ItemCheck(models.Model):
    """A checklist item the adviser ticked for this case, with her note."""

    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(_("ticked"), default=timezone.now)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ticked item")
        verbose_name_plural = _("ticked items")
        constraints = [models.UniqueConstraint(fields=["progress", "item"], name="item_check_unique")]

    def __str__(self) -> str:
        return f"{self.item} ✓"
