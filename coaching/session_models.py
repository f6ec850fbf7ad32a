"""Coaching sessions, the cohorts that meet in them, and who came."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Attendance", "Cohort", "CohortMember", "Session"]


class Cohort(models.Model):
    """An intake group of a region: participants who start coaching together and meet in group sessions."""

    region = models.ForeignKey("neem.Region", on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("start date"))
    cases = models.ManyToManyField("coaching.CaseFile", through="CohortMember", related_name="cohorts")

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["region", "-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="cohort_memberships")
    joined_on = models.DateField(_("joined"), default=timezone.localdate)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [models.UniqueConstraint(fields=["cohort", "case"], name="cohort_member_unique")]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.case_id}"


class Session(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("group session")
        INDIVIDUAL = "individual", _("individual session")

    region = models.ForeignKey("neem.Region", on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("cohort")
    )
    case = models.ForeignKey(
        "coaching.CaseFile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="individual_sessions",
        verbose_name=_("participant"),
        help_text=_("For an individual session."),
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="coaching_sessions",
        verbose_name=_("adviser"),
    )
    module = models.ForeignKey(
        "coaching.Module",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("module"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    attendance_taken_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)
    # An individual session puts "take attendance" on the case's next actions, due on the day.
    next_action = models.ForeignKey(
        "coaching.NextAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.kind == self.Kind.INDIVIDUAL and not self.case_id:
            raise ValidationError({"case": _("Choose the participant of an individual session.")})
        if not self.place and not self.video_url:
            raise ValidationError({"place": _("Give a place or a video link.")})

    @property
    def hours(self) -> float:
        return self.duration_minutes / 60

    def is_past(self, now=None) -> bool:
        return self.starts_at < (now or timezone.now())


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "case"], name="attendance_unique")]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.case_id}: {self.status}"
