"""The per-case figures the indicator kinds aggregate, computed set-based: a fixed number of queries, each a plain
`GROUP BY` over its own table (or a window over the visits), whatever the number of cases.

`case_table(cases, today=..., needs=...)` reads the cases once (with what the breakdowns group by) and each metric the
kinds need once, and joins them in Python into one `CaseMetrics` per case. The indicator table and every breakdown
(gender, region, cohort, age band) are then sums over that one table (`outcomes.figures`), so a request reads each
table once instead of once per breakdown, and never runs a subquery per case.

No query here correlates with the case (a per-case subquery is what made the dashboard take minutes at 100,000
cases). The cases are restricted with `case IN (the cases' query)`, which PostgreSQL hashes once. The only
`EXISTS` (health checks: the areas scored in both rounds) is in a `WHERE`, which PostgreSQL runs as a semi-join.
The SQL is the ORM's, so it runs the same on SQLite; the one thing SQLite does differently is that it sums
decimals as floats (as it did before).

Each metric is defined exactly as in `outcomes.kinds` (the definitions funders read). Per case:

- `started`: the case's state is coaching or later, or a timeline event entered coaching;
- `minutes`: minutes of sessions attended (present);
- `health`: (mean of the end round's scores) − (mean of the start round's), over the areas scored in both, for cases
  with a filled start and end round (None otherwise); the means are the database's (`AVG`, numeric on PostgreSQL);
- `loans`, `lent`: loans paid out, their principal; `first_payout`: the earliest payout;
- `due`: principal + interest + fee of active instalments due up to today on paid-out loans; `repaid` and `waived`:
  allocations to those instalments of repayments and reversals, and of waivers;
- `outstanding`: the principal of the ledger of the case's active loans; `at_risk`: the same, for the active loans
  with an active instalment more than 30 days overdue (less paid or waived on it, by any allocation, than its
  principal + interest + fee);
- `income_change`: (latest visit's household income − baseline) × 100 / baseline, when the baseline is above 0
  and a visit up to today records an income;
- `running_12m`: 1 running, 0 not running, None not known (see `outcomes.kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from coaching.models import Attendance, CaseEvent, Outcome, Stage
from healthchecks.models import Round, Score
from loans.models import Allocation, EntryKind, Instalment, LedgerEntry, Loan, LoanStatus
from portfolio.models import CompanyStatus, FollowUpVisit

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=16, decimal_places=2)
AFTER_COACHING = [Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]
COACHING_OR_LATER = [Stage.COACHING, *AFTER_COACHING, Stage.CLOSED]
NEXT_STEPS = [Outcome.COMPANY_STARTED, Outcome.EMPLOYED, Outcome.STUDIES, Outcome.INTERNSHIP]
PAR_DAYS = 30

# What a kind may need (`Kind.needs`); each is one or two queries.
STARTED = "started"
MINUTES = "minutes"
HEALTH = "health"
LOANS = "loans"  # loans, lent, first_payout
REPAYMENT = "repayment"  # due, repaid, waived
PAR = "par"  # outstanding, at_risk
INCOME = "income"  # income_change
RUNNING = "running"  # running_12m (uses the loans and the visits)
METRICS = (STARTED, MINUTES, HEALTH, LOANS, REPAYMENT, PAR, INCOME, RUNNING)


@dataclass(slots=True)
class CaseMetrics:
    """One case: what the kinds test and sum, and what the breakdowns group by."""

    pk: int
    state: str
    outcome: str
    gender: str
    foreign_background: bool
    residence_permit: str
    social_enterprise: bool
    region: str | None
    born: date | None
    closed_on: date | None  # the UTC date it closed, as on the case page
    baseline: Decimal | None  # the participant's household income at intake
    started: bool = False
    minutes: int = 0
    health: Decimal | None = None
    loans: int = 0
    lent: Decimal = ZERO
    first_payout: date | None = None
    due: Decimal = ZERO
    repaid: Decimal = ZERO
    waived: Decimal = ZERO
    outstanding: Decimal = ZERO
    at_risk: Decimal = ZERO
    income_change: float | None = None
    running_12m: int | None = None


@dataclass
class CaseTable:
    """Every case once, in no particular order, and its cohorts: (index in rows, cohort name) for each membership,
    (index, None) for a case in no cohort, so a case in two cohorts counts in both."""

    rows: list[CaseMetrics] = field(default_factory=list)
    cohorts: list[tuple[int, str | None]] = field(default_factory=list)
    _columns: dict = field(default_factory=dict, repr=False)

    def column(self, part) -> list:
        """`part.values(rows)` (a kind's count or total, case by case), computed once per table and part."""
        values = self._columns.get(id(part))
        if values is None:
            values = self._columns[id(part)] = (part, part.values(self.rows))
        return values[1]


def _money(value) -> Decimal | None:
    """A sum as the database gives it: a Decimal on PostgreSQL; SQLite's float as a Decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _owed(prefix: str = ""):
    return F(f"{prefix}principal") + F(f"{prefix}interest") + F(f"{prefix}fee")


def year_later(day: date) -> date:
    """The day a year after `day`; the 29th of February gives the 28th."""
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def case_table(cases: QuerySet, *, today: date, needs: set[str] | None = None) -> CaseTable:
    """The cases with the metrics in `needs` (all when None): one query for the cases, one or two per metric."""
    needs = set(METRICS) if needs is None else set(needs)
    if RUNNING in needs:
        needs.add(LOANS)
    table = CaseTable()
    by_pk: dict[int, CaseMetrics] = {}
    position: dict[int, int] = {}
    rows = cases.order_by().values_list(
        "pk",
        "state",
        "outcome",
        "participant__gender",
        "participant__foreign_background",
        "participant__residence_permit",
        "outcome_detail__social_enterprise",
        "region__name",
        "participant__date_of_birth",
        "closed_at",
        "participant__household_income",
        # Through the cases' own join when they are filtered by a cohort (then only that cohort), as the breakdown
        # by cohort always did.
        "cohort_memberships__cohort__name",
    )
    for pk, state, outcome, gender, foreign, permit, social, region, born, closed_at, baseline, cohort in rows:
        case = by_pk.get(pk)
        if case is None:
            case = by_pk[pk] = CaseMetrics(
                pk=pk,
                state=state,
                outcome=outcome,
                gender=gender,
                foreign_background=foreign,
                residence_permit=permit,
                social_enterprise=bool(social),
                region=region,
                born=born,
                closed_on=closed_at.astimezone(UTC).date() if closed_at else None,
                baseline=_money(baseline),
            )
            position[pk] = len(table.rows)
            table.rows.append(case)
        table.cohorts.append((position[pk], cohort))
    if not by_pk:
        return table
    ids = cases.order_by().values("pk")
    for metric in METRICS:
        if metric in needs:
            FILL[metric](by_pk, ids, today)
    return table


def _started(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    for case in by_pk.values():
        case.started = case.state in COACHING_OR_LATER
    # Only the cases not yet known to have started need their timeline (withdrawn ones, mostly).
    entered = CaseEvent.objects.filter(case__in=ids, to_state=Stage.COACHING).exclude(case__state__in=COACHING_OR_LATER)
    for pk in entered.order_by().values_list("case_id", flat=True).distinct():
        by_pk[pk].started = True


def _minutes(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    present = Attendance.objects.filter(case__in=ids, status=Attendance.Status.PRESENT)
    for pk, minutes in (
        present.order_by().values("case_id").annotate(t=Sum("session__duration_minutes")).values_list("case_id", "t")
    ):
        by_pk[pk].minutes = minutes or 0


def _health(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    def scores(kind):
        return Score.objects.filter(round__kind=kind, round__taken_at__isnull=False)

    def means(kind, other) -> dict[int, Decimal]:
        both = scores(kind).filter(
            Exists(scores(other).filter(round__case=OuterRef("round__case"), area=OuterRef("area"))),
            round__case__in=ids,
        )
        # The mean as the database computes it (numeric on PostgreSQL), kept as a Decimal so sums are exact.
        rows = both.order_by().values("round__case").annotate(mean=Avg("value", output_field=DecimalField()))
        return dict(rows.values_list("round__case", "mean"))

    end = means(Round.Kind.END, Round.Kind.START)
    start = means(Round.Kind.START, Round.Kind.END)
    for pk, end_mean in end.items():
        start_mean = start.get(pk)
        if end_mean is not None and start_mean is not None:
            by_pk[pk].health = end_mean - start_mean


def _loans(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    paid_out = Loan.objects.filter(case__in=ids, disbursed_on__isnull=False)
    for pk, disbursed_on, principal in paid_out.order_by().values_list("case_id", "disbursed_on", "principal"):
        case = by_pk[pk]
        case.loans += 1
        case.lent += _money(principal)
        if case.first_payout is None or disbursed_on < case.first_payout:
            case.first_payout = disbursed_on


def _repayment(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    fallen_due = {"active": True, "due_date__lte": today, "loan__disbursed_on__isnull": False}
    due = Instalment.objects.filter(loan__case__in=ids, **fallen_due).order_by().values("loan__case_id")
    for pk, total in due.annotate(t=Sum(_owed())).values_list("loan__case_id", "t"):
        by_pk[pk].due = _money(total) or ZERO
    paid = (
        Allocation.objects.filter(
            instalment__loan__case__in=ids, **{f"instalment__{name}": value for name, value in fallen_due.items()}
        )
        .order_by()
        .values("instalment__loan__case_id")
        .annotate(
            repaid=Sum(_owed(), filter=Q(entry__kind__in=[EntryKind.REPAYMENT, EntryKind.REVERSAL])),
            waived=Sum(_owed(), filter=Q(entry__kind=EntryKind.WAIVER)),
        )
    )
    for pk, repaid, waived in paid.values_list("instalment__loan__case_id", "repaid", "waived"):
        by_pk[pk].repaid = _money(repaid) or ZERO
        by_pk[pk].waived = _money(waived) or ZERO


def _par(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    active = {"loan__case__in": ids, "loan__status": LoanStatus.ACTIVE}
    overdue = (
        Instalment.objects.filter(**active, active=True, due_date__lt=today - timedelta(days=PAR_DAYS))
        .order_by()
        .annotate(paid=Coalesce(Sum(_owed("allocations__")), Value(ZERO), output_field=MONEY))
        .filter(paid__lt=_owed())
    )
    late = set(overdue.values_list("loan_id", flat=True))
    balances = LedgerEntry.objects.filter(**active).order_by().values("loan_id", "loan__case_id")
    for loan, pk, principal in balances.annotate(t=Sum("principal")).values_list("loan_id", "loan__case_id", "t"):
        principal = _money(principal)
        if principal is None:
            continue
        case = by_pk[pk]
        case.outstanding += principal
        if loan in late:
            case.at_risk += principal


def _latest_visits(ids: QuerySet, today: date, **only) -> QuerySet:
    """Each case's latest follow-up visit up to today (by date, then id), of those matching `only`."""
    return (
        FollowUpVisit.objects.filter(case__in=ids, date__lte=today, **only)
        .annotate(rank=Window(RowNumber(), partition_by=F("case_id"), order_by=(F("date").desc(), F("id").desc())))
        .filter(rank=1)
        .order_by()
    )


def _income(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    latest = _latest_visits(ids, today, household_income__isnull=False)
    for pk, income in latest.values_list("case_id", "household_income"):
        case = by_pk[pk]
        if case.baseline is not None and case.baseline > 0:
            # In floating point, as before (percentages are averaged, never summed as money).
            baseline = float(case.baseline)
            case.income_change = (float(income) - baseline) * 100.0 / baseline


def _running(by_pk: dict[int, CaseMetrics], ids: QuerySet, today: date) -> None:
    """1 running, 0 not running, None not known; from the loans (filled before) and the latest visit."""
    for pk, visited, status in _latest_visits(ids, today).values_list("case_id", "date", "company_status"):
        case = by_pk[pk]
        start = case.first_payout or case.closed_on
        if start is None:
            continue
        mark = year_later(start)
        if mark > today:
            continue
        if visited >= mark:
            case.running_12m = 1 if status == CompanyStatus.RUNNING else 0
        elif status == CompanyStatus.CLOSED:
            case.running_12m = 0


FILL = {
    STARTED: _started,
    MINUTES: _minutes,
    HEALTH: _health,
    LOANS: _loans,
    REPAYMENT: _repayment,
    PAR: _par,
    INCOME: _income,
    RUNNING: _running,
}
