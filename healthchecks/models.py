"""The health check: a self-assessment the participant scores 1-5 per area, at the start, midway and at the end."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coaching.models import CaseFile
from neem.models import Programme

MIN_SCORE, MAX_SCORE = 1, 5


class Questionnaire(models.Model):
    """A programme's questionnaire. Only one is active at a time; old rounds keep theirs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="health_questionnaires")
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("health-check questionnaire")
        verbose_name_plural = _("health-check questionnaires")
        ordering = ["programme", "-active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(active=True), name="one_active_questionnaire_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """One area scored 1-5, e.g. vision or finance and budgeting.

    The label and the statement are written in the programme's language; `translations` holds
    other languages as {"sv": {"label": ..., "question": ...}}, because they are data, not UI text.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    question = models.CharField(_("statement to score"), max_length=300, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["questionnaire", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="area_code_unique")]

    def __str__(self) -> str:
        return self.label

    def label_in(self, language: str | None) -> str:
        return (self.translations.get((language or "")[:2]) or {}).get("label") or self.label

    def question_in(self, language: str | None) -> str:
        return (self.translations.get((language or "")[:2]) or {}).get("question") or self.question


class Round(models.Model):
    """One taking of the questionnaire. Opened by the adviser, filled by the participant (or with her)."""

    class Kind(models.TextChoices):
        START = "start", _("at the start")
        MIDWAY = "midway", _("midway")
        END = "end", _("at the end")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="health_rounds")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("when"), max_length=10, choices=Kind.choices)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("health-check round")
        verbose_name_plural = _("health-check rounds")
        ordering = ["case", "opened_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_round_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"

    @property
    def is_filled(self) -> bool:
        return self.taken_at is not None


KIND_ORDER = {kind: index for index, kind in enumerate(Round.Kind.values)}


class Score(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="one_score_per_area"),
            models.CheckConstraint(
                condition=models.Q(value__gte=MIN_SCORE, value__lte=MAX_SCORE), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.value}"
