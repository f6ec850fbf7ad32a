"""One living business plan per case: immutable versions, adviser comments, a review with four eyes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from coaching.models import CaseFile

from . import permissions
from .sections import COMMENT_TARGETS, section_title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for changes")


def _may_submit(plan: BusinessPlan, user) -> bool:
    return permissions.can_submit(user, plan.case)


def _may_review(plan: BusinessPlan, user) -> bool:
    return permissions.can_review(user, plan)


class BusinessPlan(ConcurrentTransitionMixin, models.Model):
    """The case's plan. Its text and budget live in versions; the status only changes by transitions."""

    case = models.OneToOneField(CaseFile, on_delete=models.CASCADE, related_name="business_plan")
    status = FSMField(_("status"), default=PlanStatus.DRAFT, choices=PlanStatus.choices, protected=True)
    latest_version = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest version"),
    )
    submitted_version = models.ForeignKey(
        "PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_version = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved version"),
        help_text=_("The version the loan application uses."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")

    def __str__(self) -> str:
        return str(_("Business plan of %(name)s") % {"name": self.case.participant})

    @property
    def is_locked(self) -> bool:
        """While a version is under review nobody edits, so the reviewer reads what was submitted."""
        return self.status == PlanStatus.SUBMITTED

    # --- Transitions: database fields only; plans.services locks, checks and logs. ------------

    @transition(
        field=status,
        source=[PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED],
        target=PlanStatus.SUBMITTED,
        permission=_may_submit,
    )
    def submit(self, *, by, at) -> None:
        self.submitted_version = self.latest_version
        self.submitted_by = by
        self.submitted_at = at
        self.return_reason = ""

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.APPROVED, permission=_may_review)
    def approve(self, *, by, at) -> None:
        self.approved_version = self.submitted_version
        self.approved_by = by
        self.approved_at = at

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.RETURNED, permission=_may_review)
    def return_for_changes(self, *, reason: str) -> None:
        self.return_reason = reason


class PlanVersion(models.Model):
    """A snapshot of the whole plan, written on every save; never changed afterwards."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    sections = models.JSONField(_("sections"), default=dict)
    budget = models.JSONField(_("budget"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    changed = models.CharField(_("what changed"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Plan versions are immutable; save a new version instead.")
        super().save(*args, **kwargs)


class SectionComment(models.Model):
    """An adviser's comment on one section of one version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=30, choices=[(k, k) for k in COMMENT_TARGETS])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def section_title(self):
        return section_title(self.section)
