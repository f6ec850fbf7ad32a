"""Everything the dashboard, the PDF and the indicator exports show, assembled once from the selectors.

The number of queries does not depend on the number of cases: the per-case table (`outcomes.metrics`: the cases and
one or two per metric the indicators need) read once for the indicator table and every breakdown, five for the
trends, two for the funnel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from perf import figcache

from . import charts
from .figures import (
    DIMENSIONS,
    NO_DATA,
    SUPPRESS_BELOW,
    SUPPRESSED,
    Figure,
    Light,
    breakdown,
    compute,
    format_value,
    light,
    show,
    show_baseline,
    show_target,
    table_for,
    target_now,
)
from .models import Indicator
from .selectors import Filters, Lens, cases_for, funnel, indicators_of, trends


def _small(count) -> bool:
    return count is not None and 0 < count < SUPPRESS_BELOW


@dataclass
class Row:
    indicator: Indicator
    figure: Figure
    light: Light
    actual: str
    target: str
    target_now: str
    baseline: str
    based_on: str


@dataclass
class Breakdown:
    code: str
    label: str
    groups: list[str]
    rows: list[tuple[Indicator, list[str]]]


@dataclass
class Report:
    lens: Lens
    filters: Filters
    today: date
    suppress: bool
    rows: list[Row] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)
    funnel: list[dict] = field(default_factory=list)
    funnel_chart: str = ""


def build(lens: Lens, filters: Filters, *, today: date, suppress: bool | None = None, details: bool = True) -> Report:
    """The report for a lens and filters. `suppress` defaults to the lens (evaluators); exports pass True."""
    suppress = lens.anonymised if suppress is None else suppress
    programme = lens.programme
    currency = programme.currency
    indicators = indicators_of(programme)
    cases = cases_for(lens, filters)
    report = Report(lens=lens, filters=filters, today=today, suppress=suppress)

    # The aggregates are cached until the next committed write (perf.figcache); labels depend on the language.
    key = (figcache.queryset_key(cases), tuple(i.pk for i in indicators), today, get_language())
    # Read once, and only if some figure is not cached: the indicator table and every breakdown sum it.
    table = cache(lambda: table_for(indicators, cases, today=today))
    figures = figcache.cached("outcomes.compute", key, lambda: compute(indicators, cases, today=today, table=table()))
    for indicator in indicators:
        result = figures[indicator.pk]
        hidden = suppress and result.suppressed
        probe = Figure(kind=result.kind, unit=indicator.unit)
        report.rows.append(
            Row(
                indicator=indicator,
                figure=result,
                light=light(indicator, result, programme=programme, today=today) if not hidden else _no_light(),
                actual=show(result, currency=currency, suppress=suppress),
                target=show_target(indicator, currency=currency),
                target_now=format_value(target_now(indicator, programme, today), probe, currency=currency),
                baseline=show_baseline(indicator, currency=currency),
                based_on=(SUPPRESSED if hidden else str(result.base)) if result.available else "—",
            )
        )
    if not details:
        return report

    period_end = filters.period_end(today)
    for code, label in DIMENSIONS.items():
        groups = figcache.cached(
            f"outcomes.breakdown.{code}",
            (*key, period_end),
            lambda code=code: breakdown(indicators, cases, dimension=code, today=today, on=period_end, table=table()),
        )
        report.breakdowns.append(
            Breakdown(
                code=code,
                label=str(label),
                groups=[group.label for group in groups],
                rows=[
                    (
                        indicator,
                        [show(group.figures[indicator.pk], currency=currency, suppress=suppress) for group in groups],
                    )
                    for indicator in indicators
                ],
            )
        )

    all_time = cases_for(lens, filters, with_period=False)
    series = figcache.cached(
        "outcomes.trends",
        (figcache.queryset_key(all_time), period_end, get_language()),
        lambda: trends(all_time, end=period_end),
    )
    loans_per_month = dict(next(t for t in series if t.code == "loans").points)
    for trend in series:
        points = []
        for month, value in trend.points:
            small = _small(loans_per_month[month] if trend.money else value)
            hidden = suppress and small
            text = SUPPRESSED if hidden else (f"{value:,.0f}" if trend.money else str(value))
            points.append((date_format(month, "M y"), None if hidden else value, text))
        report.trends.append(
            {
                "code": trend.code,
                "label": f"{trend.label} ({currency})" if trend.money else str(trend.label),
                "points": points,
                "chart": (charts.line_chart if trend.line else charts.bar_chart)(
                    title=str(trend.label), points=points, chart_id=f"trend-{trend.code}"
                ),
            }
        )

    steps = figcache.cached("outcomes.funnel", key, lambda: funnel(cases))
    for step in steps:
        hidden = suppress and _small(step.reached)
        report.funnel.append(
            {
                "label": step.label,
                "reached": SUPPRESSED if hidden else step.reached,
                "value": None if hidden else step.reached,
                "from_label": step.from_label,
                "conversion": "—" if step.conversion is None or hidden else f"{step.conversion:.0f} %",
                "median_days": SUPPRESSED
                if suppress and _small(step.stays)
                else ("—" if step.median_days is None else step.median_days),
            }
        )
    report.funnel_chart = charts.funnel_chart(
        title=_("Cases reaching each stage"),
        steps=[
            (
                row["label"],
                row["value"],
                f"{row['reached']}" + (f" · {row['conversion']}" if row["conversion"] != "—" else ""),
            )
            for row in report.funnel
        ],
        chart_id="funnel",
    )
    return report


def _no_light() -> Light:
    return NO_DATA
