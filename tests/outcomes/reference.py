"""The figures as they were computed before `outcomes.metrics` (kept verbatim as the reference the new computation
must match): per case, correlated subqueries (`with_metrics`), then one aggregate query for the whole table and one per
breakdown. Slow at scale (minutes at 100,000 cases), plain to read, and independent of the new code but for
`figure_from` and the breakdowns' group labels and order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from coaching.models import Attendance, CaseEvent, Outcome, Stage
from healthchecks.models import Round, Score
from loans.models import Allocation, EntryKind, Instalment, LedgerEntry, Loan, LoanStatus
from outcomes.figures import Group, _group_label, _group_order, age_band, figure_from
from outcomes.kinds import KINDS
from portfolio.models import CompanyStatus, FollowUpVisit

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO_MONEY = Value(Decimal("0"), output_field=MONEY)

AFTER_COACHING = [Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]
COACHING_OR_LATER = [Stage.COACHING, *AFTER_COACHING, Stage.CLOSED]
NEXT_STEPS = [Outcome.COMPANY_STARTED, Outcome.EMPLOYED, Outcome.STUDIES, Outcome.INTERNSHIP]
PERMANENT = ["permanent", "citizen"]
PAR_DAYS = 30


def _per_case(queryset, group: str, expression, output_field):
    """A correlated subquery: one aggregate per case, NULL when the case has no rows."""
    return Subquery(
        queryset.values(group).annotate(total=expression).values("total")[:1],
        output_field=output_field,
    )


def _day_key(year, month, day):
    """A date as the integer YYYYMMDD: compared the same way on SQLite and PostgreSQL, with no date arithmetic."""
    return ExpressionWrapper(year * 10000 + month * 100 + day, output_field=IntegerField())


def _date_key(field: str, **tz):
    return _day_key(ExtractYear(field, **tz), ExtractMonth(field, **tz), ExtractDay(field, **tz))


def _year_later_key(field: str, **tz):
    """The day a year after the date in `field`, as YYYYMMDD (the 29th of February gives the 28th)."""
    leap_day = Exact(ExtractMonth(field, **tz), 2) & Exact(ExtractDay(field, **tz), 29)
    day = Case(When(leap_day, then=Value(28)), default=ExtractDay(field, **tz), output_field=IntegerField())
    return _day_key(ExtractYear(field, **tz) + 1, ExtractMonth(field, **tz), day)


def _as_key(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def with_metrics(cases: QuerySet, *, today: date, needs: set[str] | None = None) -> QuerySet:
    """The case queryset annotated with the per-case figures the given kinds aggregate (only those: each is a
    correlated subquery). A metric may use one listed before it (a kind then needs both)."""
    owed = F("principal") + F("interest") + F("fee")
    due_instalments = Instalment.objects.filter(
        loan__case=OuterRef("pk"), active=True, due_date__lte=today, loan__disbursed_on__isnull=False
    )
    due_allocations = Allocation.objects.filter(
        instalment__loan__case=OuterRef("pk"),
        instalment__active=True,
        instalment__due_date__lte=today,
        instalment__loan__disbursed_on__isnull=False,
    )
    paid_on_instalment = _per_case(Allocation.objects.filter(instalment=OuterRef("pk")), "instalment", Sum(owed), MONEY)
    overdue = (
        Instalment.objects.filter(loan=OuterRef("loan"), active=True, due_date__lt=today - timedelta(days=PAR_DAYS))
        .alias(paid=Coalesce(paid_on_instalment, ZERO_MONEY))
        .filter(paid__lt=owed)
    )
    active_entries = LedgerEntry.objects.filter(loan__case=OuterRef("pk"), loan__status=LoanStatus.ACTIVE)
    end_scores = Score.objects.filter(round__kind=Round.Kind.END, round__taken_at__isnull=False)
    start_scores = Score.objects.filter(round__kind=Round.Kind.START, round__taken_at__isnull=False)
    end_mean = _per_case(
        end_scores.filter(
            round__case=OuterRef("pk"),
            area__in=start_scores.filter(round__case=OuterRef("round__case")).values("area"),
        ),
        "round__case",
        Avg("value"),
        FloatField(),
    )
    start_mean = _per_case(
        start_scores.filter(
            round__case=OuterRef("pk"),
            area__in=end_scores.filter(round__case=OuterRef("round__case")).values("area"),
        ),
        "round__case",
        Avg("value"),
        FloatField(),
    )
    disbursed = Loan.objects.filter(case=OuterRef("pk"), disbursed_on__isnull=False)
    visits = FollowUpVisit.objects.filter(case=OuterRef("pk"), date__lte=today).order_by("-date", "-id")
    latest_income = Subquery(visits.filter(household_income__isnull=False).values("household_income")[:1])
    baseline = Cast("participant__household_income", FloatField())
    first_payout_mark = Subquery(
        disbursed.order_by("disbursed_on", "pk").annotate(mark=_year_later_key("disbursed_on")).values("mark")[:1],
        output_field=IntegerField(),
    )
    twelve_months_passed = Q(m_mark_12m__lte=_as_key(today))
    seen_after = twelve_months_passed & Q(m_visit_key__gte=F("m_mark_12m"))
    metrics = {
        "m_started": Case(
            When(
                Q(state__in=COACHING_OR_LATER)
                | Q(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), to_state=Stage.COACHING))),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "m_minutes": Coalesce(
            _per_case(
                Attendance.objects.filter(case=OuterRef("pk"), status=Attendance.Status.PRESENT),
                "case",
                Sum("session__duration_minutes"),
                IntegerField(),
            ),
            0,
        ),
        "m_health": end_mean - start_mean,
        "m_loans": Coalesce(_per_case(disbursed, "case", Count("pk"), IntegerField()), 0),
        "m_lent": Coalesce(_per_case(disbursed, "case", Sum("principal"), MONEY), ZERO_MONEY),
        "m_due": Coalesce(_per_case(due_instalments, "loan__case", Sum(owed), MONEY), ZERO_MONEY),
        "m_repaid": Coalesce(
            _per_case(
                due_allocations.filter(entry__kind__in=[EntryKind.REPAYMENT, EntryKind.REVERSAL]),
                "instalment__loan__case",
                Sum(owed),
                MONEY,
            ),
            ZERO_MONEY,
        ),
        "m_waived": Coalesce(
            _per_case(due_allocations.filter(entry__kind=EntryKind.WAIVER), "instalment__loan__case", Sum(owed), MONEY),
            ZERO_MONEY,
        ),
        "m_outstanding": Coalesce(_per_case(active_entries, "loan__case", Sum("principal"), MONEY), ZERO_MONEY),
        "m_at_risk": Coalesce(
            _per_case(
                active_entries.alias(risky=Exists(overdue)).filter(risky=True),
                "loan__case",
                Sum("principal"),
                MONEY,
            ),
            ZERO_MONEY,
        ),
        "m_income_change": Case(
            When(
                participant__household_income__gt=0,
                then=(Cast(latest_income, FloatField()) - baseline) * Value(100.0) / baseline,
            ),
            default=None,
            output_field=FloatField(),
        ),
        # The day 12 months after the first payout, else after the day the case closed (YYYYMMDD).
        "m_mark_12m": Coalesce(first_payout_mark, _year_later_key("closed_at", tzinfo=UTC)),
        # The latest visit up to today: its day (YYYYMMDD) and what it found.
        "m_visit_key": Subquery(visits.annotate(key=_date_key("date")).values("key")[:1], output_field=IntegerField()),
        "m_visit_status": Subquery(visits.values("company_status")[:1]),
        # 1 running, 0 not running, NULL not known (or the 12 months not passed yet).
        "m_running_12m": Case(
            When(seen_after & Q(m_visit_status=CompanyStatus.RUNNING), then=Value(1)),
            When(seen_after, then=Value(0)),
            When(twelve_months_passed & Q(m_visit_status=CompanyStatus.CLOSED), then=Value(0)),
            default=None,
            output_field=IntegerField(),
        ),
    }
    wanted = set(metrics) if needs is None else needs
    return cases.annotate(**{name: expression for name, expression in metrics.items() if name in wanted})


@dataclass(frozen=True)
class Kind:
    code: str
    label: str = ""
    definition: str = ""
    numerator: object = None
    denominator: object = None
    base: object = None
    hits: object = None
    mean: bool = False
    money_share: bool = False
    money: bool = False
    suffix: str = ""
    divide_by: int = 1
    needs: tuple[str, ...] = ()
    cumulative: bool = False

    def aggregates(self) -> dict[str, object]:
        parts = {"num": self.numerator, "den": self.denominator, "base": self.base, "hits": self.hits}
        return {f"k_{self.code}_{name}": make() for name, make in parts.items() if make is not None}


def _count(condition: Q | None = None):
    return lambda: Count("pk", filter=condition) if condition is not None else Count("pk")


ALL = _count()
STARTED = _count(Q(m_started=1))
CLOSED = _count(Q(state=Stage.CLOSED))
COMPANY = Q(state=Stage.CLOSED, outcome=Outcome.COMPANY_STARTED)
COMPLETED = Q(state__in=AFTER_COACHING) | (Q(state=Stage.CLOSED) & ~Q(outcome=Outcome.NO_NEXT_STEP))
BORROWERS = _count(Q(m_loans__gt=0))
WITH_DUES = _count(Q(m_due__gt=0))
OUTSTANDING = _count(Q(m_outstanding__gt=0))


def _share(code, label, definition, condition: Q, base=ALL, **extra) -> Kind:
    return Kind(
        code=code,
        label=label,
        definition=definition,
        numerator=_count(condition),
        denominator=base,
        base=base,
        hits=_count(condition),
        **extra,
    )


KIND_LIST: list[Kind] = [
    Kind(
        code="mobilised",
        label=_("Participants mobilised"),
        definition=_("Case files of the programme (one per person), in their current region."),
        numerator=ALL,
        base=ALL,
        cumulative=True,
    ),
    _share(
        "women",
        _("Share of women"),
        _("Participants whose gender is woman, of all participants."),
        Q(participant__gender="woman"),
    ),
    _share(
        "foreign_background",
        _("Share of foreign background"),
        _("Participants born abroad or with both parents born abroad, of all participants."),
        Q(participant__foreign_background=True),
    ),
    _share(
        "permanent_residence",
        _("Share with a permanent residence permit or citizenship"),
        _("Participants with a permanent residence permit or citizenship, of all participants."),
        Q(participant__residence_permit__in=PERMANENT),
    ),
    _share(
        "completed_coaching",
        _("Share that completed coaching"),
        _(
            "Reached the business plan or later, or closed with a next step other than 'no next step'; "
            "of those who started coaching."
        ),
        COMPLETED & Q(m_started=1),
        base=STARTED,
        needs=("m_started",),
    ),
    _share(
        "companies_started",
        _("Companies started"),
        _("Closed cases with the outcome 'company started'; as a share, of all participants."),
        COMPANY,
        cumulative=True,
    ),
    _share(
        "social_enterprises",
        _("Social enterprises started"),
        _("Companies started that are marked as social enterprises; as a share, of all participants."),
        COMPANY & Q(outcome_detail__social_enterprise=True),
        cumulative=True,
    ),
    _share(
        "next_step",
        _("Share that took the next step"),
        _("Closed cases with the outcome company, job, studies or internship, of all closed cases."),
        Q(state=Stage.CLOSED, outcome__in=NEXT_STEPS),
        base=CLOSED,
    ),
    Kind(
        code="coaching_hours",
        label=_("Average coaching hours"),
        definition=_("Hours of sessions attended (present), per participant who started coaching."),
        numerator=lambda: Sum("m_minutes", filter=Q(m_started=1)),
        denominator=STARTED,
        base=STARTED,
        mean=True,
        suffix="h",
        divide_by=60,
        needs=("m_started", "m_minutes"),
    ),
    Kind(
        code="health_check",
        label=_("Health-check improvement"),
        definition=_(
            "For cases with a start and an end round: the mean of (end − start) over the areas scored in both; "
            "averaged over those cases, in points on the 1–5 scale."
        ),
        numerator=lambda: Sum("m_health"),
        denominator=_count(Q(m_health__isnull=False)),
        base=_count(Q(m_health__isnull=False)),
        mean=True,
        suffix=_("points"),
        needs=("m_health",),
    ),
    Kind(
        code="income_change",
        label=_("Change in household income"),
        definition=_(
            # xgettext:no-python-format
            "For participants with an intake household income (above 0) and a follow-up visit that records it: "
            "the latest visit's household income less the intake figure, in % of the intake figure; "
            "averaged over those participants."
        ),
        numerator=lambda: Sum("m_income_change"),
        denominator=_count(Q(m_income_change__isnull=False)),
        base=_count(Q(m_income_change__isnull=False)),
        mean=True,
        suffix="%",
        needs=("m_income_change",),
    ),
    _share(
        "still_running_12m",
        _("Businesses still running after 12 months"),
        _(
            "12 months after the first payout (or, with no loan, after the case closed): of the cases whose latest "
            "follow-up visit is on or after that day, or found the company closed before it, the share whose "
            "latest visit found the company running."
        ),
        Q(m_running_12m=1),
        base=_count(Q(m_running_12m__isnull=False)),
        needs=("m_mark_12m", "m_visit_key", "m_visit_status", "m_running_12m"),
    ),
    Kind(
        code="loans_disbursed",
        label=_("Loans paid out"),
        definition=_("Loans paid out to participants (number)."),
        numerator=lambda: Sum("m_loans"),
        base=BORROWERS,
        hits=BORROWERS,
        needs=("m_loans",),
        cumulative=True,
    ),
    Kind(
        code="amount_disbursed",
        label=_("Amount lent"),
        definition=_("The principal of the loans paid out, in the programme's currency."),
        numerator=lambda: Sum("m_lent"),
        base=BORROWERS,
        hits=BORROWERS,
        money=True,
        needs=("m_loans", "m_lent"),
        cumulative=True,
    ),
    Kind(
        code="repayment_rate",
        label=_("Repayment rate"),
        definition=_(
            "Of what has fallen due up to today on paid-out loans (principal, interest, fees, net of waivers), "
            "the share repaid."
        ),
        numerator=lambda: Sum("m_repaid"),
        denominator=lambda: Sum(F("m_due") - F("m_waived"), output_field=MONEY),
        base=WITH_DUES,
        money_share=True,
        needs=("m_due", "m_repaid", "m_waived"),
    ),
    Kind(
        code="par30",
        label=_("Portfolio at risk (PAR30)"),
        definition=_(
            "Outstanding principal of active loans with an instalment more than 30 days overdue, "
            "of the outstanding principal of all active loans."
        ),
        numerator=lambda: Sum("m_at_risk"),
        denominator=lambda: Sum("m_outstanding"),
        base=OUTSTANDING,
        hits=_count(Q(m_at_risk__gt=0)),
        money_share=True,
        needs=("m_outstanding", "m_at_risk"),
    ),
]

REFERENCE = {kind.code: kind for kind in KIND_LIST}


def _group_expression_sql(dimension: str, on: date):
    return {
        "gender": lambda: F("participant__gender"),
        "region": lambda: F("region__name"),
        # A case in two cohorts counts in both; a case in none is "no cohort".
        "cohort": lambda: F("cohort_memberships__cohort__name"),
        "age": lambda: age_band(on),
    }[dimension]()


def reference_compute(indicators, cases, *, today: date) -> dict:
    kinds = [REFERENCE[i.kind] for i in indicators]
    expressions = {name: e for kind in kinds for name, e in kind.aggregates().items()}
    needs = {name for kind in kinds for name in kind.needs}
    row = with_metrics(cases, today=today, needs=needs).aggregate(**expressions)
    return {i.pk: figure_from(KINDS[i.kind], i.unit, row) for i in indicators}


def reference_breakdown(indicators, cases, *, dimension: str, today: date, on: date) -> list[Group]:
    kinds = [REFERENCE[i.kind] for i in indicators]
    expressions = {name: e for kind in kinds for name, e in kind.aggregates().items()}
    needs = {name for kind in kinds for name in kind.needs}
    rows = (
        with_metrics(cases, today=today, needs=needs)
        .values(group=_group_expression_sql(dimension, on))
        .annotate(**expressions)
        .order_by()
    )
    groups = [
        Group(
            key=row["group"],
            label=_group_label(dimension, row["group"]),
            figures={i.pk: figure_from(KINDS[i.kind], i.unit, row) for i in indicators},
        )
        for row in rows
    ]
    return sorted(groups, key=lambda g: _group_order(dimension, g.key))


def reference_reached(cases) -> dict[str, int]:
    """The funnel's counts as before: a correlated EXISTS per case and stage."""
    from outcomes.selectors import BEYOND, JOURNEY

    def reached(stage):
        if stage == Stage.MOBILISED:
            return Q()
        return Q(**{f"f_{stage}": True}) | Q(state__in=BEYOND[stage])

    events = CaseEvent.objects.filter(case=OuterRef("pk"))
    flagged = cases.alias(**{f"f_{stage}": Exists(events.filter(to_state__in=BEYOND[stage])) for stage in JOURNEY[1:]})
    return flagged.aggregate(**{stage: Count("pk", filter=reached(stage)) for stage in JOURNEY})
