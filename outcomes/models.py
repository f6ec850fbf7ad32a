"""The results framework: a programme's indicators, a few outcome details the case file lacks, and the export log.

This app reads the other apps; none of them imports it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from neem.models import Programme


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    PERCENT = "percent", _("per cent")


class Indicator(models.Model):
    """One line of the results framework: a built-in kind of figure with the programme's baseline and target."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("what is counted"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    unit = models.CharField(
        _("shown as"),
        max_length=10,
        choices=Unit.choices,
        default=Unit.COUNT,
        help_text=_("A number, or a share in per cent of the kind's base (e.g. of all participants)."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_min = models.DecimalField(_("target (or its lower bound)"), max_digits=14, decimal_places=2)
    target_max = models.DecimalField(
        _("upper bound of a target range"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lower_is_better = models.BooleanField(
        _("lower is better"), default=False, help_text=_("E.g. the portfolio at risk: the target is a ceiling.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown"), default=True)
    code = models.SlugField(_("code"), max_length=60, blank=True, help_text=_("Set by the demo and imports; optional."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from .kinds import KINDS

        errors = {}
        kind = KINDS.get(self.kind)
        if kind is None:
            errors["kind"] = _("Choose one of the built-in kinds.")
        elif self.unit == Unit.PERCENT and not kind.can_be_share:
            errors["unit"] = _("This kind is a number, not a share.")
        if self.target_max is not None and self.target_min is not None and self.target_max < self.target_min:
            errors["target_max"] = _("The upper bound must be at least the lower bound.")
        if errors:
            raise ValidationError(errors)


class CaseOutcomeDetail(models.Model):
    """What the case file does not say about an outcome: whether the company started is a social enterprise.

    Kept here (1:1 with the case) so coaching needs no migration for a figure only the funder asks about.
    """

    case = models.OneToOneField("coaching.CaseFile", on_delete=models.CASCADE, related_name="outcome_detail")
    social_enterprise = models.BooleanField(_("the company is a social enterprise"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome detail")
        verbose_name_plural = _("outcome details")

    def __str__(self) -> str:
        return f"{self.case_id}: {'social enterprise' if self.social_enterprise else '—'}"


class ExportLog(models.Model):
    """Who exported what, when and with which filters (personal-level exports above all)."""

    class What(models.TextChoices):
        INDICATORS_CSV = "indicators_csv", _("indicator table (CSV)")
        INDICATORS_XLSX = "indicators_xlsx", _("indicator table (XLSX)")
        PARTICIPANTS_CSV = "participants_csv", _("anonymised participant table (CSV)")
        PARTICIPANTS_XLSX = "participants_xlsx", _("anonymised participant table (XLSX)")
        REPORT_PDF = "report_pdf", _("report (PDF)")

    PERSONAL = {What.PARTICIPANTS_CSV, What.PARTICIPANTS_XLSX}

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(_("what"), max_length=30, choices=What.choices)
    personal = models.BooleanField(_("personal-level data"), default=False)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("export log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} {self.at:%Y-%m-%d %H:%M}"
