"""Portfolio figures as of a date, from the ledger and the schedule, in aggregate SQL.

A fixed number of queries whatever the number of loans: five read every loan's sums once (`loan_table`, each a
`GROUP BY` over its own table, no subquery per row), and the whole portfolio and each grouping (region, product,
adviser) are sums over that table in Python. Definitions:

- Outstanding principal at D: the sum of the principal component of every ledger entry with
  value_date <= D. Payouts add, repayments and write-offs subtract, so a loan paid out after D, repaid or
  written off by D contributes nothing.
- An instalment is overdue more than N days at D when its due date is before D − N and what was paid or
  waived on its principal, interest and fee by D (allocations of entries with value_date <= D) is less
  than its principal + interest + fee. Penalties are left out: an unpaid late fee alone does not put a
  loan at risk.
- PAR N: the outstanding principal at D of loans with such an instalment, over all outstanding principal
  at D, in per cent (weighted by balance, not a count of loans).
- Repayment rate for [from, D]: what was paid on or before each instalment's due date (allocations of
  repayments with value_date <= due date, less repayments reversed by D) over what fell due in the period
  (principal + interest + fee of active instalments due in the period, less interest waived by D, e.g. on
  early payoff; instalments falling due after the loan was written off are not counted), in per cent.
- Write-off ratio for [from, D]: principal written off in the period over the average outstanding
  principal ((outstanding on the day before `from` + outstanding at D) / 2), in per cent (CGAP's
  definition, with a two-point average).
- Disbursed: loans paid out in the period, their number and amount; average loan size = amount / number.

The active schedule is used throughout: as of a date before a reschedule, the new schedule's rows stand in
for the old ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from loans.models import Allocation, EntryKind, Instalment, LedgerEntry, Loan

ZERO = Decimal("0")
CENT = Decimal("0.01")
# SQLite sums decimals as floats; a shortfall under half a cent is rounding, not arrears.
TOLERANCE = Decimal("0.005")

# How each grouping is reached from a loan; other models prefix it with their path to the loan.
DIMENSIONS = {"region": "case__region", "product": "product", "adviser": "case__adviser"}


@dataclass(frozen=True)
class Figures:
    as_of: date
    period_from: date
    outstanding: Decimal
    par30_amount: Decimal
    par90_amount: Decimal
    fell_due: Decimal
    paid_on_time: Decimal
    opening: Decimal
    written_off: Decimal
    disbursed_count: int
    disbursed_amount: Decimal

    @property
    def par30(self) -> Decimal | None:
        return _percent(self.par30_amount, self.outstanding)

    @property
    def par90(self) -> Decimal | None:
        return _percent(self.par90_amount, self.outstanding)

    @property
    def repayment_rate(self) -> Decimal | None:
        return _percent(self.paid_on_time, self.fell_due)

    @property
    def average_outstanding(self) -> Decimal:
        return _money((self.opening + self.outstanding) / 2)

    @property
    def write_off_ratio(self) -> Decimal | None:
        return _percent(self.written_off, self.average_outstanding)

    @property
    def average_loan_size(self) -> Decimal | None:
        return _money(self.disbursed_amount / self.disbursed_count) if self.disbursed_count else None


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(CENT) if whole > ZERO else None


def _scheduled(prefix: str = ""):
    return F(f"{prefix}principal") + F(f"{prefix}interest") + F(f"{prefix}fee")


@dataclass
class LoanRow:
    """One loan: its groupings and its sums (None where it has no rows, as SQL's SUM)."""

    keys: dict  # {"region": id, "product": id, "adviser": id or None}
    seen: bool = False  # has a ledger entry, a row due in the period or a payout in the period
    outstanding: Decimal | None = None
    opening: Decimal | None = None
    written_off: Decimal | None = None
    late30: bool = False
    late90: bool = False
    fell_due: Decimal | None = None
    on_time: Decimal | None = None
    waived: Decimal | None = None
    disbursed: bool = False
    principal: Decimal = ZERO


def _dec(value) -> Decimal | None:
    """A sum as the database gives it (SQLite's floats as Decimals)."""
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def loan_table(loans: QuerySet[Loan], *, as_of: date, period_from: date) -> dict[int, LoanRow]:
    """Every loan's sums, read once for the whole portfolio and every grouping: five queries, each a `GROUP BY`
    over its own table (no subquery per row), whatever the number of loans. Cached until the next write."""
    from perf import figcache

    return figcache.cached(
        "portfolio.loans",
        (figcache.queryset_key(loans), as_of, period_from),
        lambda: _loan_table(loans, as_of=as_of, period_from=period_from),
    )


def _loan_table(loans: QuerySet[Loan], *, as_of: date, period_from: date) -> dict[int, LoanRow]:
    ids = loans.order_by().values("pk")
    period = (period_from, as_of)
    rows: dict[int, LoanRow] = {}
    for pk, region, product, adviser, disbursed_on, principal in loans.order_by().values_list(
        "pk", *DIMENSIONS.values(), "disbursed_on", "principal"
    ):
        row = rows[pk] = LoanRow(keys={"region": region, "product": product, "adviser": adviser})
        if disbursed_on is not None and period_from <= disbursed_on <= as_of:
            row.seen = row.disbursed = True
            row.principal = _dec(principal)

    by_then = Q(value_date__lte=as_of)
    balances = (
        LedgerEntry.objects.filter(loan__in=ids)
        .order_by()
        .values("loan_id")
        .annotate(
            outstanding=Sum("principal", filter=by_then),
            opening=Sum("principal", filter=Q(value_date__lt=period_from)),
            written_off=Sum("principal", filter=Q(kind=EntryKind.WRITE_OFF, value_date__range=period)),
        )
    )
    for pk, outstanding, opening, written_off in balances.values_list(
        "loan_id", "outstanding", "opening", "written_off"
    ):
        row = rows[pk]
        row.seen = True
        row.outstanding, row.opening, row.written_off = _dec(outstanding), _dec(opening), _dec(written_off)

    for pk, very_late in _late(ids, as_of):
        rows[pk].late30 = True
        rows[pk].late90 = rows[pk].late90 or very_late

    written_off_before_due = Exists(
        LedgerEntry.objects.filter(loan=OuterRef("loan"), kind=EntryKind.WRITE_OFF, value_date__lt=OuterRef("due_date"))
    )
    due_rows = Instalment.objects.filter(loan__in=ids, active=True, due_date__range=period).exclude(
        written_off_before_due
    )
    due = due_rows.order_by().values("loan_id").annotate(fell_due=Sum(_scheduled()))
    for pk, fell_due in due.values_list("loan_id", "fell_due"):
        rows[pk].seen = True
        rows[pk].fell_due = _dec(fell_due)

    # A repayment counts as on time unless a reversal of it is dated by `as_of` (at most one reverses it).
    not_reversed = Q(entry__reversed_by__isnull=True) | Q(entry__reversed_by__value_date__gt=as_of)
    paid = (
        Allocation.objects.filter(instalment__in=due_rows)
        .order_by()
        .values("instalment__loan_id")
        .annotate(
            on_time=Sum(
                _scheduled(),
                filter=Q(entry__kind=EntryKind.REPAYMENT, entry__value_date__lte=F("instalment__due_date"))
                & not_reversed,
            ),
            waived=Sum("interest", filter=Q(entry__kind=EntryKind.WAIVER, entry__value_date__lte=as_of)),
        )
    )
    for pk, on_time, waived in paid.values_list("instalment__loan_id", "on_time", "waived"):
        rows[pk].seen = True
        rows[pk].on_time, rows[pk].waived = _dec(on_time), _dec(waived)
    return rows


def _late(ids, as_of: date) -> list[tuple[int, bool]]:
    """Loans with an active instalment more than 30 days overdue at `as_of` (see the module's definition), each
    with whether one is more than 90 days overdue: one grouped join of the instalments with their allocations up to
    `as_of` (not a subquery per instalment)."""
    paid = Coalesce(
        Sum(_scheduled("allocations__"), filter=Q(allocations__entry__value_date__lte=as_of)),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    late = (
        Instalment.objects.filter(loan__in=ids, active=True, due_date__lt=as_of - timedelta(days=30))
        .order_by()
        .annotate(paid=paid)
        .filter(paid__lt=_scheduled() - Value(TOLERANCE))
        .annotate(
            very_late=Case(
                When(due_date__lt=as_of - timedelta(days=90), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    return list(late.values_list("loan_id", "very_late").distinct())


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def compute(
    loans: QuerySet[Loan],
    *,
    as_of: date,
    period_from: date,
    by: str | None = None,
    table: dict[int, LoanRow] | Callable[[], dict[int, LoanRow]] | None = None,
) -> dict:
    """The figures for `loans` (a queryset, used as a subquery), whole or grouped by a dimension.

    Returns {group id (None when not grouped): Figures}: the groups with a ledger entry, a row due in the period or a
    payout in the period. Cached until the next write (perf.figcache); sums the loans' table (`loan_table`), which
    `table` may give (or a function returning it, called only on a cache miss) to share it between groupings.
    """
    from perf import figcache

    return figcache.cached(
        "portfolio",
        (figcache.queryset_key(loans), as_of, period_from, by),
        lambda: _compute(
            _table(table) if table is not None else loan_table(loans, as_of=as_of, period_from=period_from),
            as_of=as_of,
            period_from=period_from,
            by=by,
        ),
    )


def _table(table):
    return table() if callable(table) else table


def _compute(table: dict[int, LoanRow], *, as_of: date, period_from: date, by: str | None = None) -> dict:
    groups: dict = {None: []} if by is None else {}
    for row in table.values():
        if by is None:
            groups[None].append(row)
        elif row.seen:
            groups.setdefault(row.keys[by], []).append(row)
    result = {}
    for key, rows in groups.items():
        result[key] = Figures(
            as_of=as_of,
            period_from=period_from,
            outstanding=_money(_sum(r.outstanding for r in rows)),
            par30_amount=_money(_sum(r.outstanding for r in rows if r.late30)),
            par90_amount=_money(_sum(r.outstanding for r in rows if r.late90)),
            fell_due=_money(_sum(r.fell_due for r in rows)) - _money(_sum(r.waived for r in rows)),
            paid_on_time=_money(_sum(r.on_time for r in rows)),
            opening=_money(_sum(r.opening for r in rows)),
            written_off=-_money(_sum(r.written_off for r in rows)),
            disbursed_count=sum(1 for r in rows if r.disbursed),
            disbursed_amount=_money(_sum(r.principal for r in rows if r.disbursed)),
        )
    return result


def portfolio_figures(loans: QuerySet[Loan], *, as_of: date, period_from: date, table=None) -> Figures:
    return compute(loans, as_of=as_of, period_from=period_from, table=table)[None]
