"""Indicator figures for a queryset of cases: the whole table and each breakdown, summed in Python over one per-case
table (`outcomes.metrics.case_table`: a fixed number of queries, read once and shared by the whole table and every
breakdown).

Also the two rules the dashboard writes down: the traffic light and small-cell suppression.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db.models import Case as SqlCase
from django.db.models import CharField, QuerySet, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import Gender

from .kinds import KINDS, Kind, Part
from .metrics import CaseTable, case_table
from .models import Indicator, Unit

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
DASH = "—"

# The traffic light, as written on the dashboard.
AT_RISK_SHARE = Decimal("0.8")  # at or above 80 % of the target: at risk
CEILING_SLACK = Decimal("1.25")  # lower-is-better: up to 125 % of the ceiling: at risk


@dataclass
class Figure:
    kind: Kind
    unit: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    base: int = 0
    hits: int | None = None

    @property
    def available(self) -> bool:
        return self.kind.available

    @property
    def suppressed(self) -> bool:
        """Fewer than 5 people behind the cell (its base, or the people it counts)."""
        small = [n for n in (self.base, self.hits) if n is not None]
        return any(0 < n < SUPPRESS_BELOW for n in small)

    @property
    def is_share(self) -> bool:
        return self.kind.money_share or (self.unit == Unit.PERCENT and self.kind.can_be_share)


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def figure_from(kind: Kind, unit: str, row: dict) -> Figure:
    if not kind.available:
        return Figure(kind=kind, unit=unit)
    prefix = f"k_{kind.code}_"
    numerator = _dec(row.get(prefix + "num")) or Decimal(0)
    denominator = _dec(row.get(prefix + "den"))
    result = Figure(
        kind=kind,
        unit=unit,
        numerator=numerator,
        denominator=denominator,
        base=int(row.get(prefix + "base") or 0),
        hits=None if row.get(prefix + "hits") is None else int(row[prefix + "hits"]),
    )
    if kind.mean:
        result.value = numerator / denominator / kind.divide_by if denominator else None
    elif result.is_share:
        result.value = numerator * 100 / denominator if denominator else None
    else:
        result.value = numerator
    return result


def _parts(kinds: list[Kind]) -> dict[str, Part]:
    parts: dict[str, Part] = {}
    for kind in kinds:
        parts.update(kind.parts())
    return parts


def _needs(kinds: list[Kind]) -> set[str]:
    return {name for kind in kinds for name in kind.needs}


def _kinds(indicators) -> list[Kind]:
    return list({i.kind: KINDS[i.kind] for i in indicators if i.kind in KINDS}.values())


def table_for(indicators: list[Indicator], cases: QuerySet, *, today: date) -> CaseTable:
    """The per-case table with what the indicators' kinds need; pass it to `compute` and `breakdown` to share it."""
    return case_table(cases, today=today, needs=_needs(_kinds(indicators)))


class _Columns:
    """Each part's per-case values over a table, computed once and summed for the whole table or any group."""

    def __init__(self, table: CaseTable, parts: dict[str, Part]):
        self.columns = {name: (part, table.column(part)) for name, part in parts.items()}

    def sums(self, positions: list[int] | None = None) -> dict:
        """{"k_<code>_<part>": sum} over every case, or over the cases at `positions` (repeats count twice)."""
        if positions is not None:
            pick = itemgetter(*positions) if len(positions) > 1 else (lambda column: (column[positions[0]],))
        row = {}
        for name, (part, column) in self.columns.items():
            row[name] = part.total(column if positions is None else pick(column))
        return row


def compute(
    indicators: list[Indicator], cases: QuerySet, *, today: date, table: CaseTable | None = None
) -> dict[int, Figure]:
    """Every indicator's figure over the cases (the per-case table's queries, unless `table` is given)."""
    kinds = _kinds(indicators)
    parts = _parts(kinds)
    row: dict = {}
    if parts:
        table = table if table is not None else table_for(indicators, cases, today=today)
        row = _Columns(table, parts).sums()
    return {i.pk: figure_from(KINDS[i.kind], i.unit, row) for i in indicators if i.kind in KINDS}


# --- Breakdowns ------------------------------------------------------------------------------------

AGE_BANDS = [("<25", 25), ("25-34", 35), ("35-44", 45), ("45-54", 55)]
OLDEST_BAND = "55+"
UNKNOWN = "unknown"


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band(on: date):
    """The age band at `on` as SQL: younger than N years <=> born after the day N years before (the anonymised
    participant table; `_age_band_of` is the same in Python)."""
    whens = [When(participant__date_of_birth__isnull=True, then=Value(UNKNOWN))]
    whens += [
        When(participant__date_of_birth__gt=years_before(on, limit), then=Value(label)) for label, limit in AGE_BANDS
    ]
    return SqlCase(*whens, default=Value(OLDEST_BAND), output_field=CharField())


DIMENSIONS = {
    "gender": gettext_lazy("Gender"),
    "region": gettext_lazy("Region"),
    "cohort": gettext_lazy("Cohort"),
    "age": gettext_lazy("Age band"),
}


def _age_band_of(on: date):
    limits = [(label, years_before(on, limit)) for label, limit in AGE_BANDS]

    def band(born: date | None) -> str:
        if born is None:
            return UNKNOWN
        for label, since in limits:
            if born > since:
                return label
        return OLDEST_BAND

    return band


def _groups(table: CaseTable, dimension: str, on: date) -> dict[object, list[int]]:
    """{group key: positions of its cases in the table}."""
    groups: dict[object, list[int]] = defaultdict(list)
    if dimension == "cohort":
        # A case in two cohorts counts in both; a case in none is "no cohort".
        for position, name in table.cohorts:
            groups[name].append(position)
        return groups
    band = _age_band_of(on)
    key = {
        "gender": lambda case: case.gender,
        "region": lambda case: case.region,
        "age": lambda case: band(case.born),
    }[dimension]
    for position, case in enumerate(table.rows):
        groups[key(case)].append(position)
    return groups


def _group_label(dimension: str, key) -> str:
    if key is None or key == UNKNOWN:
        return _("no cohort") if dimension == "cohort" else _("not known")
    if dimension == "gender":
        return str(Gender(key).label) if key in Gender.values else str(key)
    return str(key)


def _group_order(dimension: str, key) -> tuple:
    if dimension == "age":
        order = [label for label, _limit in AGE_BANDS] + [OLDEST_BAND, UNKNOWN]
        return (order.index(key) if key in order else len(order), "")
    if dimension == "gender":
        return (Gender.values.index(key) if key in Gender.values else 99, "")
    return (key is None, str(key or ""))


@dataclass
class Group:
    key: object
    label: str
    figures: dict[int, Figure] = field(default_factory=dict)


def breakdown(
    indicators: list[Indicator],
    cases: QuerySet,
    *,
    dimension: str,
    today: date,
    on: date,
    table: CaseTable | None = None,
) -> list[Group]:
    """Every indicator per group of one dimension (gender, region, cohort, age band at `on`), from the per-case
    table (its queries, unless `table` is given: then none)."""
    kinds = _kinds(indicators)
    parts = _parts(kinds)
    if not parts:
        return []
    table = table if table is not None else table_for(indicators, cases, today=today)
    columns = _Columns(table, parts)
    groups = []
    for key, positions in _groups(table, dimension, on).items():
        row = columns.sums(positions)
        groups.append(
            Group(
                key=key,
                label=_group_label(dimension, key),
                figures={i.pk: figure_from(KINDS[i.kind], i.unit, row) for i in indicators if i.kind in KINDS},
            )
        )
    return sorted(groups, key=lambda g: _group_order(dimension, g.key))


# --- The traffic light -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    code: str
    symbol: str
    label: str


ON_TRACK = Light("on-track", "✓", gettext_lazy("on track"))
AT_RISK = Light("at-risk", "!", gettext_lazy("at risk"))
OFF_TRACK = Light("off-track", "✗", gettext_lazy("off track"))
NO_DATA = Light("no-data", "–", gettext_lazy("no data"))


def elapsed_share(programme, today: date) -> Decimal:
    """How much of the programme's time has passed, 0 to 1."""
    total = (programme.end_date - programme.start_date).days
    if total <= 0:
        return Decimal(1)
    passed = (today - programme.start_date).days
    return min(Decimal(1), max(Decimal(0), Decimal(passed) / Decimal(total)))


def target_now(indicator: Indicator, programme, today: date) -> Decimal:
    """The target to compare with today: numbers that accumulate are pro-rated to the time passed."""
    kind = KINDS.get(indicator.kind)
    target = Decimal(indicator.target_min)
    if kind and kind.cumulative and indicator.unit == Unit.COUNT and not indicator.lower_is_better:
        return (target * elapsed_share(programme, today)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return target


def light(indicator: Indicator, result: Figure, *, programme, today: date) -> Light:
    if result.value is None:
        return NO_DATA
    value = result.value
    if indicator.lower_is_better:
        ceiling = Decimal(indicator.target_max if indicator.target_max is not None else indicator.target_min)
        if value <= ceiling:
            return ON_TRACK
        return AT_RISK if value <= ceiling * CEILING_SLACK else OFF_TRACK
    target = target_now(indicator, programme, today)
    if value >= target:
        return ON_TRACK
    return AT_RISK if value >= target * AT_RISK_SHARE else OFF_TRACK


# --- Showing a figure --------------------------------------------------------------------------------


def _number(value: Decimal, places: int) -> str:
    return number_format(
        value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places, force_grouping=True
    )


def format_value(value: Decimal | None, result: Figure, *, currency: str) -> str:
    if value is None:
        return DASH
    kind = result.kind
    if result.is_share:
        return f"{_number(value, 1)} %"
    if kind.money:
        return f"{_number(value, 0)} {currency}"
    if kind.mean:
        return f"{_number(value, 1)} {kind.suffix}".strip()
    return _number(value, 0)


def show(result: Figure, *, currency: str, suppress: bool) -> str:
    """The cell as people read it: 'not available yet', '<5' (suppressed), '—' (no base) or the value."""
    if not result.available:
        return _("not available yet")
    if suppress and result.suppressed:
        return SUPPRESSED
    return format_value(result.value, result, currency=currency)


def show_target(indicator: Indicator, *, currency: str) -> str:
    kind = KINDS.get(indicator.kind)
    if kind is None:
        return DASH
    probe = Figure(kind=kind, unit=indicator.unit)
    low = format_value(Decimal(indicator.target_min), probe, currency=currency)
    if indicator.target_max is not None:
        high = format_value(Decimal(indicator.target_max), probe, currency=currency)
        return f"{low} – {high}"
    return ("≤ " if indicator.lower_is_better else "≥ ") + low


def show_baseline(indicator: Indicator, *, currency: str) -> str:
    kind = KINDS.get(indicator.kind)
    if kind is None or indicator.baseline is None:
        return DASH
    return format_value(Decimal(indicator.baseline), Figure(kind=kind, unit=indicator.unit), currency=currency)
