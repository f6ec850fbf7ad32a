"""Volunteer mentors (local entrepreneurs) matched with participants, and the meetings they log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["MentorMatch", "MentorMeeting"]


class MentorMatch(models.Model):
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_matches", verbose_name=_("mentor")
    )
    case = models.ForeignKey("coaching.CaseFile", on_delete=models.CASCADE, related_name="mentor_matches")
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("mentor match")
        verbose_name_plural = _("mentor matches")
        ordering = ["-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "case"], condition=models.Q(ended_on__isnull=True), name="mentor_match_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MentorMeeting(models.Model):
    match = models.ForeignKey(MentorMatch, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    note = models.TextField(_("short note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor meeting")
        verbose_name_plural = _("mentor meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.topic}"
