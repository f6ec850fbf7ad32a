"""Reads for the outcomes pages, each scoped to the user through a `Lens` (what she may see of which programme)."""

from __future__ import annotations

import hashlib
import hmac
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import JOURNEY, Attendance, CaseEvent, CaseFile, Cohort, Outcome, Stage
from loans.models import Loan
from neem import access
from neem.models import Membership, Programme, Region, Role

from .figures import age_band
from .models import Indicator


@dataclass
class Lens:
    """What one user may see of one programme's outcomes."""

    programme: Programme
    role: str  # "manager", "evaluator" or "region"
    region_ids: frozenset[int]

    @property
    def whole_programme(self) -> bool:
        return self.role in ("manager", "evaluator")

    @property
    def anonymised(self) -> bool:
        """Evaluators see no names (not even advisers') and suppressed small cells."""
        return self.role == "evaluator"

    @property
    def can_manage(self) -> bool:
        return self.role == "manager"

    @property
    def can_export_people(self) -> bool:
        return self.role in ("manager", "evaluator")


def lens_for(user, programme_id: int | None = None) -> Lens:
    """The user's lens on a programme (the first she may read if none is asked for); PermissionDenied otherwise."""
    scope = access.scope_of(user)
    readable = access.outcomes_programmes(user)
    if not readable:
        raise PermissionDenied
    if programme_id is None or programme_id not in readable:
        programme_id = min(readable)
    programme = Programme.objects.get(pk=programme_id)
    if programme_id in scope.manager_programmes:
        return Lens(programme, "manager", frozenset())
    if programme_id in scope.evaluator_programmes:
        return Lens(programme, "evaluator", frozenset())
    regions = frozenset(r for r in scope.case_reader_regions if scope.region_programme.get(r) == programme_id)
    return Lens(programme, "region", regions)


def programmes_for(user) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=access.outcomes_programmes(user))


def regions_for(lens: Lens) -> QuerySet[Region]:
    regions = Region.objects.filter(programme=lens.programme)
    return regions if lens.whole_programme else regions.filter(pk__in=lens.region_ids)


def cohorts_for(lens: Lens) -> QuerySet[Cohort]:
    return Cohort.objects.filter(region__in=regions_for(lens)).select_related("region")


def advisers_for(lens: Lens):
    from django.contrib.auth import get_user_model

    if lens.anonymised:
        return get_user_model().objects.none()
    advisers = Membership.objects.filter(role=Role.ADVISER, region__in=regions_for(lens)).values("user")
    return get_user_model().objects.filter(pk__in=advisers).order_by("first_name", "last_name")


@dataclass
class Filters:
    region: int | None = None
    cohort: int | None = None
    adviser: int | None = None
    opened_from: date | None = None
    opened_to: date | None = None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}

    def period_end(self, today: date) -> date:
        return self.opened_to or today


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def cases_for(lens: Lens, filters: Filters, *, with_period: bool = True) -> QuerySet[CaseFile]:
    """The lens's cases, filtered. Region leads and advisers never get beyond their regions, whatever the filter."""
    cases = CaseFile.objects.filter(programme=lens.programme)
    if not lens.whole_programme:
        cases = cases.filter(region_id__in=lens.region_ids)
    if filters.region:
        cases = cases.filter(region_id=filters.region)
    if filters.cohort:
        cases = cases.filter(cohort_memberships__cohort_id=filters.cohort)
    if filters.adviser and not lens.anonymised:
        cases = cases.filter(adviser_id=filters.adviser)
    if with_period and filters.opened_from:
        cases = cases.filter(opened_at__gte=_start_of(filters.opened_from))
    if with_period and filters.opened_to:
        cases = cases.filter(opened_at__lt=_start_of(filters.opened_to) + timezone.timedelta(days=1))
    return cases


def indicators_of(programme, *, active_only: bool = True) -> list[Indicator]:
    indicators = Indicator.objects.filter(programme=programme)
    if active_only:
        indicators = indicators.filter(active=True)
    return list(indicators)


def companies_started(lens: Lens) -> QuerySet[CaseFile]:
    """Closed cases with a company started, with names: for managers marking social enterprises."""
    return (
        cases_for(lens, Filters())
        .filter(state=Stage.CLOSED, outcome=Outcome.COMPANY_STARTED)
        .select_related("participant", "region", "outcome_detail")
        .order_by("region__name", "participant__last_name")
    )


# --- Trends --------------------------------------------------------------------------------------------


def months_ending(day: date, count: int = 12) -> list[date]:
    months = []
    year, month = day.year, day.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


@dataclass
class Trend:
    code: str
    label: str
    points: list[tuple[date, object]]
    money: bool = False
    line: bool = False


def trends(cases: QuerySet[CaseFile], *, end: date) -> list[Trend]:
    """Month by month over the 12 months ending with `end`: five queries, whatever the number of cases."""
    months = months_ending(end)
    since = _start_of(months[0])
    until = _start_of(end) + timezone.timedelta(days=1)

    def series(rows) -> dict[date, int]:
        return {_month_key(row["month"]): row["n"] for row in rows}

    mobilised = series(
        cases.filter(opened_at__gte=since, opened_at__lt=until)
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    coaching = series(
        CaseEvent.objects.filter(case__in=cases, to_state=Stage.COACHING, at__gte=since, at__lt=until)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    companies = series(
        cases.filter(outcome=Outcome.COMPANY_STARTED, state=Stage.CLOSED, closed_at__gte=since, closed_at__lt=until)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    loans = {
        _month_key(row["month"]): (row["n"], row["amount"])
        for row in Loan.objects.filter(case__in=cases, disbursed_on__gte=months[0], disbursed_on__lte=end)
        .annotate(month=TruncMonth("disbursed_on"))
        .values("month")
        .annotate(n=Count("pk"), amount=Sum("principal"))
        .order_by()
    }
    running = cases.filter(opened_at__lt=since).count()
    cumulative = []
    for month in months:
        running += mobilised.get(month, 0)
        cumulative.append((month, running))
    return [
        Trend("cumulative", _("Participants so far"), cumulative, line=True),
        Trend("mobilised", _("Participants mobilised"), [(m, mobilised.get(m, 0)) for m in months]),
        Trend("coaching", _("Started coaching"), [(m, coaching.get(m, 0)) for m in months]),
        Trend("companies", _("Companies started"), [(m, companies.get(m, 0)) for m in months]),
        Trend("loans", _("Loans paid out"), [(m, loans.get(m, (0, 0))[0]) for m in months]),
        Trend("amount", _("Amount lent"), [(m, loans.get(m, (0, 0))[1] or 0) for m in months], money=True),
    ]


# --- The funnel ----------------------------------------------------------------------------------------

AFTER_PLAN = [Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]

# Each stage's conversion is counted from the stage a case must pass before it (the loan is optional).
FUNNEL_FROM = {
    Stage.INTAKE: Stage.MOBILISED,
    Stage.COACHING: Stage.INTAKE,
    Stage.BUSINESS_PLAN: Stage.COACHING,
    Stage.LOAN: Stage.BUSINESS_PLAN,
    Stage.FOLLOW_UP: Stage.BUSINESS_PLAN,
    Stage.CLOSED: Stage.COACHING,
}


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    from_stage: str | None = None
    from_label: str = ""
    conversion: float | None = None
    median_days: float | None = None
    stays: int = 0


# Being in (or having entered) any of these stages means a case reached the key stage. The loan is optional
# (follow-up can come straight after the business plan) and a case may close from coaching, so those are
# not implied by anything later.
BEYOND = {
    Stage.INTAKE: [Stage.INTAKE, Stage.COACHING, *AFTER_PLAN, Stage.CLOSED],
    Stage.COACHING: [Stage.COACHING, *AFTER_PLAN, Stage.CLOSED],
    Stage.BUSINESS_PLAN: AFTER_PLAN,
    Stage.LOAN: [Stage.LOAN],
    Stage.FOLLOW_UP: [Stage.FOLLOW_UP],
    Stage.CLOSED: [Stage.CLOSED],
}


def _reached(cases: QuerySet[CaseFile]) -> dict[str, int]:
    """Cases that reached each stage: there or later now, or else an event (transition, opening, import) entered it
    or a later one. Two queries, neither per case: the cases by their state, then the others by their events (each
    case once per stage, however many such events it has)."""
    later = cases.aggregate(
        **{stage: Count("pk", filter=Q(state__in=BEYOND[stage])) for stage in JOURNEY[1:]}, mobilised=Count("pk")
    )
    entering = {state for stage in JOURNEY[1:] for state in BEYOND[stage]}
    events = CaseEvent.objects.filter(case__in=cases.order_by().values("pk"), to_state__in=entering)
    earlier = events.aggregate(
        **{
            stage: Count(
                "case_id", distinct=True, filter=Q(to_state__in=BEYOND[stage]) & ~Q(case__state__in=BEYOND[stage])
            )
            for stage in JOURNEY[1:]
        }
    )
    return {stage: later[stage] + (earlier.get(stage) or 0) for stage in JOURNEY}


def funnel(cases: QuerySet[CaseFile], *, now: datetime | None = None) -> list[FunnelStep]:
    """Cases reaching each stage (two queries) and the median days spent in each (one more query)."""
    counts = _reached(cases)
    labels = dict(Stage.choices)
    # Completed stays only: from the event that entered a stage to the next one that left it.
    stays: dict[str, list[float]] = defaultdict(list)
    previous = None
    for case_id, to_state, at in (
        CaseEvent.objects.filter(case__in=cases)
        .exclude(to_state="")
        .order_by("case_id", "at", "id")
        .values_list("case_id", "to_state", "at")
    ):
        if previous and previous[0] == case_id and previous[1] != to_state:
            stays[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        previous = (case_id, to_state, at)
    steps = []
    for stage in JOURNEY:
        source = FUNNEL_FROM.get(stage)
        base = counts[source] if source else None
        steps.append(
            FunnelStep(
                stage=stage,
                label=str(labels[stage]),
                reached=counts[stage],
                from_stage=source,
                from_label=str(labels[source]) if source else "",
                conversion=(counts[stage] * 100 / base) if base else None,
                median_days=round(statistics.median(stays[stage]), 1) if stays[stage] else None,
                stays=len(stays[stage]),
            )
        )
    return steps


# --- The anonymised participant table --------------------------------------------------------------------


def pseudonym(case_id: int) -> str:
    """Stable for a case across exports, meaningless without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"neem-case:{case_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


PARTICIPANT_COLUMNS = [
    ("pseudonym", _("pseudonym")),
    ("region", _("region")),
    ("cohort", _("cohort")),
    ("gender", _("gender")),
    ("age_band", _("age band")),
    ("foreign_background", _("foreign background")),
    ("residence_permit", _("residence permit")),
    ("stage", _("stage")),
    ("outcome", _("outcome")),
    ("coaching_hours", _("coaching hours")),
    ("loan", _("loan paid out")),
]


def participant_rows(cases: QuerySet[CaseFile], *, on: date) -> list[dict]:
    """One row per case, with nothing that names or pinpoints a person: one query."""
    minutes = (
        Attendance.objects.filter(case=OuterRef("pk"), status=Attendance.Status.PRESENT)
        .values("case")
        .annotate(total=Sum("session__duration_minutes"))
        .values("total")[:1]
    )
    first_cohort = Cohort.objects.filter(members__case=OuterRef("pk")).order_by("starts_on", "pk").values("name")[:1]
    rows = (
        cases.annotate(
            x_cohort=Subquery(first_cohort),
            x_minutes=Subquery(minutes),
            x_loan=Exists(Loan.objects.filter(case=OuterRef("pk"), disbursed_on__isnull=False)),
            x_age=age_band(on),
        )
        .order_by("pk")
        .values(
            "pk",
            "region__name",
            "x_cohort",
            "participant__gender",
            "x_age",
            "participant__foreign_background",
            "participant__residence_permit",
            "state",
            "outcome",
            "x_minutes",
            "x_loan",
        )
    )
    return [
        {
            "pseudonym": pseudonym(row["pk"]),
            "region": row["region__name"],
            "cohort": row["x_cohort"] or "",
            "gender": row["participant__gender"],
            "age_band": row["x_age"],
            "foreign_background": "yes" if row["participant__foreign_background"] else "no",
            "residence_permit": row["participant__residence_permit"],
            "stage": row["state"],
            "outcome": row["outcome"],
            "coaching_hours": round((row["x_minutes"] or 0) / 60, 1),
            "loan": "yes" if row["x_loan"] else "no",
        }
        for row in rows
    ]
