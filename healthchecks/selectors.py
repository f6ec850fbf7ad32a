"""Reads of health checks: the rounds of a case and their comparison, area by area."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from coaching.models import CaseFile

from .models import KIND_ORDER, Area, Round, Score


def rounds_of(case: CaseFile, *, people: bool = True) -> list[Round]:
    """The case's rounds in the order start, midway, end, with scores and areas: three queries.

    `people=False`: without who opened and filled them in (the case page's panel does not name them)."""
    rounds = Round.objects.filter(case=case)
    if people:
        rounds = rounds.select_related("filled_by", "opened_by")
    rounds = list(
        rounds.prefetch_related(Prefetch("scores", queryset=Score.objects.only("round_id", "area_id", "value")))
    )
    return sorted(rounds, key=lambda r: KIND_ORDER[r.kind])


@dataclass
class AreaRow:
    area: Area
    label: str
    scores: list[int | None]  # one per filled round, in order
    change: int | None  # last filled minus first filled


@dataclass
class Comparison:
    rounds: list[Round]  # filled rounds only
    rows: list[AreaRow]
    averages: list[Decimal]
    average_change: Decimal | None

    @property
    def is_empty(self) -> bool:
        return not self.rounds


def _average(values: list[int]) -> Decimal:
    if not values:
        return Decimal("0")
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def comparison(case: CaseFile, rounds: list[Round] | None = None, *, language: str | None = None) -> Comparison:
    """The filled rounds side by side, with the change per area from the first to the last."""
    rounds = [r for r in (rounds if rounds is not None else rounds_of(case)) if r.is_filled]
    language = language or get_language()
    questionnaire_ids = {r.questionnaire_id for r in rounds}
    areas = (
        list(Area.objects.filter(questionnaire_id__in=questionnaire_ids).order_by("order", "id"))
        if questionnaire_ids
        else []  # nothing filled in yet: not even a query to build
    )
    by_round = [{s.area_id: s.value for s in r.scores.all()} for r in rounds]
    rows = []
    for area in areas:
        scores = [values.get(area.pk) for values in by_round]
        present = [s for s in scores if s is not None]
        change = present[-1] - present[0] if len(present) >= 2 else None
        rows.append(AreaRow(area, area.label_in(language), scores, change))
    averages = [_average(list(values.values())) for values in by_round]
    average_change = averages[-1] - averages[0] if len(averages) >= 2 else None
    return Comparison(rounds=rounds, rows=rows, averages=averages, average_change=average_change)


def round_for_staff(user, case: CaseFile, round_pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("case__participant", "questionnaire"), pk=round_pk, case=case)


def round_for_participant(user, round_pk: int) -> Round:
    """Her own round, or Http404."""
    return get_object_or_404(
        Round.objects.select_related("case__participant", "case__programme", "questionnaire"),
        pk=round_pk,
        case__participant__user=user,
        case__participant__user__isnull=False,
    )
