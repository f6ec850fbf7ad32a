"""Portfolio figures as of a date, from the ledger and the schedule, in aggregate SQL.

A fixed number of queries (four per grouping) whatever the number of loans. Definitions:

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

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
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


def _late_instalments(as_of: date, days: int) -> QuerySet[Instalment]:
    """Active instalments more than `days` days overdue at `as_of` (see the module's definition)."""
    paid = (
        Allocation.objects.filter(instalment=OuterRef("pk"), entry__value_date__lte=as_of)
        .values("instalment")
        .annotate(total=Sum(_scheduled()))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return (
        Instalment.objects.filter(active=True, due_date__lt=as_of - timedelta(days=days))
        .annotate(paid=Coalesce(Subquery(paid, output_field=money), Value(ZERO), output_field=money))
        .filter(paid__lt=_scheduled() - Value(TOLERANCE))
    )


def _late_loans(loans: QuerySet[Loan], as_of: date, days: int) -> Q:
    """Entries of loans with an instalment more than `days` days late at `as_of`.

    Not a correlated EXISTS per ledger entry (a million loops at scale), nor `IN (subquery)` inside the aggregate's
    FILTER: PostgreSQL hashes that subquery only while it fits in work_mem, and at 600,000 instalments it rescans it
    for every entry instead. On PostgreSQL the set of late loans is read once (cached until the next write) and
    passed as a list, which PostgreSQL hashes; SQLite builds its ephemeral index for the subquery by itself.
    """
    late = _late_instalments(as_of, days).filter(loan__in=loans).values("loan_id")
    if connection.vendor != "postgresql":
        return Q(loan_id__in=late)
    from perf import figcache

    ids = figcache.cached(
        "portfolio.late",
        (figcache.queryset_key(loans), as_of, days),
        lambda: sorted(set(late.values_list("loan_id", flat=True))),
    )
    return Q(loan_id__in=ids) if ids else Q(pk__isnull=True)


def _grouped(qs: QuerySet, key: str | None, **aggregates) -> dict:
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    return {row.pop(key): row for row in qs.values(key).order_by(key).annotate(**aggregates)}


def compute(loans: QuerySet[Loan], *, as_of: date, period_from: date, by: str | None = None) -> dict:
    """The figures for `loans` (a queryset, used as a subquery), whole or grouped by a dimension.

    Returns {group id (None when not grouped): Figures}. Cached until the next write (perf.figcache).
    """
    from perf import figcache

    return figcache.cached(
        "portfolio",
        (figcache.queryset_key(loans), as_of, period_from, by),
        lambda: _compute(loans, as_of=as_of, period_from=period_from, by=by),
    )


def _compute(loans: QuerySet[Loan], *, as_of: date, period_from: date, by: str | None = None) -> dict:
    dim = DIMENSIONS[by] if by else None
    via_loan = f"loan__{dim}" if dim else None
    period = (period_from, as_of)
    reversed_by_then = Exists(LedgerEntry.objects.filter(reverses=OuterRef("entry"), value_date__lte=as_of))
    written_off_before_due = Exists(
        LedgerEntry.objects.filter(loan=OuterRef("loan"), kind=EntryKind.WRITE_OFF, value_date__lt=OuterRef("due_date"))
    )
    due_rows = Instalment.objects.filter(loan__in=loans, active=True, due_date__range=period).exclude(
        written_off_before_due
    )
    by_then = Q(value_date__lte=as_of)
    balances = _grouped(
        LedgerEntry.objects.filter(loan__in=loans),
        via_loan,
        outstanding=Sum("principal", filter=by_then),
        par30=Sum("principal", filter=by_then & _late_loans(loans, as_of, 30)),
        par90=Sum("principal", filter=by_then & _late_loans(loans, as_of, 90)),
        opening=Sum("principal", filter=Q(value_date__lt=period_from)),
        written_off=Sum("principal", filter=Q(kind=EntryKind.WRITE_OFF, value_date__range=period)),
    )
    due = _grouped(due_rows, via_loan, fell_due=Sum(_scheduled()))
    paid = _grouped(
        Allocation.objects.filter(instalment__in=due_rows),
        f"instalment__loan__{dim}" if dim else None,
        on_time=Sum(
            _scheduled(),
            filter=Q(entry__kind=EntryKind.REPAYMENT, entry__value_date__lte=F("instalment__due_date"))
            & ~Q(reversed_by_then),
        ),
        waived=Sum("interest", filter=Q(entry__kind=EntryKind.WAIVER, entry__value_date__lte=as_of)),
    )
    disbursed = _grouped(
        loans.filter(disbursed_on__range=period).order_by(), dim, count=Count("pk"), amount=Sum("principal")
    )
    result = {}
    for key in {*balances, *due, *paid, *disbursed}:
        b, d, p, o = balances.get(key, {}), due.get(key, {}), paid.get(key, {}), disbursed.get(key, {})
        result[key] = Figures(
            as_of=as_of,
            period_from=period_from,
            outstanding=_money(b.get("outstanding")),
            par30_amount=_money(b.get("par30")),
            par90_amount=_money(b.get("par90")),
            fell_due=_money(d.get("fell_due")) - _money(p.get("waived")),
            paid_on_time=_money(p.get("on_time")),
            opening=_money(b.get("opening")),
            written_off=-_money(b.get("written_off")),
            disbursed_count=o.get("count") or 0,
            disbursed_amount=_money(o.get("amount")),
        )
    return result


def portfolio_figures(loans: QuerySet[Loan], *, as_of: date, period_from: date) -> Figures:
    return compute(loans, as_of=as_of, period_from=period_from)[None]
