"""The portfolio figures as they were computed before `portfolio.figures.loan_table` (kept as the reference the new
computation must match): four aggregate queries per grouping, a correlated subquery per instalment for the late
loans and a correlated EXISTS per allocation for reversals."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from loans.models import Allocation, EntryKind, Instalment, LedgerEntry, Loan
from portfolio.figures import DIMENSIONS, TOLERANCE, ZERO, Figures, _money, _scheduled


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
    return Q(loan_id__in=_late_instalments(as_of, days).filter(loan__in=loans).values("loan_id"))


def _grouped(qs: QuerySet, key: str | None, **aggregates) -> dict:
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    return {row.pop(key): row for row in qs.values(key).order_by(key).annotate(**aggregates)}


def reference_compute(loans: QuerySet[Loan], *, as_of: date, period_from: date, by: str | None = None) -> dict:
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
