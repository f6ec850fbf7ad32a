"""The set-based figures (`outcomes.metrics` + `outcomes.figures`) equal the per-case SQL they replaced
(`reference.py`: correlated subqueries per case, then one aggregate per table and breakdown), figure by figure, on a
varied data set: three regions, cohorts (two with the same name, a case in two), every stage and outcome, coaching
events, attendance, health checks (partial, unfilled), loans in every status with arrears, repayments, reversals,
waivers, a reschedule, visits before and after today, a leap-day payout; under every filter and lens. And the
funnel's counts equal those of the correlated EXISTS they replaced."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from coaching.models import Attendance, CaseFile, Cohort, CohortMember, Session
from healthchecks.models import Area, Questionnaire, Round, Score
from loans.models import Allocation, LedgerEntry, LoanProduct
from outcomes.figures import DIMENSIONS, breakdown, compute, table_for
from outcomes.models import CaseOutcomeDetail
from outcomes.selectors import Filters, Lens, _reached, cases_for
from portfolio.models import FollowUpVisit
from tests.factories import CaseFileFactory, ParticipantFactory, ProgrammeFactory, RegionFactory, UserFactory

from .dataset import _instalment, _loan, indicators_for
from .reference import reference_breakdown, reference_compute, reference_reached

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)
STATES = ["mobilised", "intake", "coaching", "business_plan", "loan", "follow_up", "closed", "withdrawn"]
OUTCOMES = ["company_started", "employed", "studies", "internship", "other", "no_next_step"]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _pay(loan, instalment, kind: str, day: date, share: Decimal, *, reverses=None) -> LedgerEntry:
    sign = Decimal(-1) if kind == "reversal" else Decimal(1)
    principal = (instalment.principal * share * sign).quantize(Decimal("0.01"))
    interest = (instalment.interest * share * sign).quantize(Decimal("0.01"))
    if kind == "waiver":
        principal = Decimal(0)
    entry = LedgerEntry.objects.create(
        loan=loan,
        kind=kind,
        value_date=day,
        amount=abs(principal + interest),
        principal=-principal,
        interest=-interest,
        reverses=reverses,
    )
    Allocation.objects.create(entry=entry, instalment=instalment, principal=principal, interest=interest)
    return entry


def build_varied(seed: int = 7):
    rng = random.Random(seed)
    programme = ProgrammeFactory(start_date=date(2025, 1, 1), end_date=date(2026, 12, 31))
    regions = [RegionFactory(programme=programme, name=name, slug=name.lower()) for name in ("Alpha", "Beta", "Gamma")]
    adviser = UserFactory()
    cohorts = [
        Cohort.objects.create(region=regions[0], name="Spring", starts_on=date(2025, 3, 1)),
        Cohort.objects.create(region=regions[1], name="Spring", starts_on=date(2025, 3, 1)),  # same name
        Cohort.objects.create(region=regions[1], name="Autumn", starts_on=date(2025, 9, 1)),
        Cohort.objects.create(region=regions[2], name="Winter", starts_on=date(2025, 12, 1)),
    ]
    questionnaire = Questionnaire.objects.create(programme=programme, name="Health check")
    areas = [Area.objects.create(questionnaire=questionnaire, code=c, label=c, order=i) for i, c in enumerate("vmfs")]
    product = LoanProduct.objects.create(
        programme=programme,
        name="Start",
        min_amount=1000,
        max_amount=50000,
        annual_rate=12,
        min_term=1,
        max_term=12,
        frequency="monthly",
        interest_method="flat",
        amortization="equal_principal",
    )
    sessions = [
        Session.objects.create(
            region=regions[i % 3], starts_at=_at(date(2025, 5, 1 + i)), duration_minutes=minutes, topic="T", place="P"
        )
        for i, minutes in enumerate((120, 90, 45, 150))
    ]
    births = [None, date(2001, 4, 1), date(2001, 4, 2), date(1991, 4, 1), date(1981, 4, 2), date(1971, 1, 1)]
    cases = []
    for n in range(70):
        state = STATES[n % len(STATES)]
        closed = state == "closed"
        participant = ParticipantFactory(
            gender=rng.choice(["woman", "woman", "man", "non_binary", "undisclosed"]),
            foreign_background=rng.random() < 0.6,
            residence_permit=rng.choice(["permanent", "citizen", "temporary", "asylum_seeker", "unknown"]),
            date_of_birth=rng.choice(births),
            household_income=rng.choice([None, Decimal(0), Decimal("12000.50"), Decimal(20000), Decimal(7000)]),
        )
        closed_on = _day(rng, date(2024, 2, 1), date(2026, 3, 31)) if closed else None
        if closed and n % 17 == 6:
            closed_on = date(2025, 2, 28)
        case = CaseFileFactory(
            participant=participant,
            region=regions[n % 3],
            state=state,
            outcome=rng.choice([*OUTCOMES, "company_started"]) if closed else "",
            closed_at=_at(closed_on) if closed_on else None,
            opened_at=_at(_day(rng, date(2025, 1, 1), date(2026, 3, 1))),
        )
        cases.append(case)
        if closed and rng.random() < 0.7:
            # Every other company started with a detail is a social enterprise (and some other outcomes are marked).
            social = rng.random() < 0.3 or (case.outcome == "company_started" and n % 2 == 0)
            CaseOutcomeDetail.objects.create(case=case, social_enterprise=social)
        for cohort in rng.sample(cohorts, rng.choice([0, 0, 1, 1, 2])):
            CohortMember.objects.create(cohort=cohort, case=case)
        if state in ("withdrawn", "intake", "mobilised") and rng.random() < 0.5:
            case.events.create(kind="transition", from_state="intake", to_state="coaching", at=_at(date(2025, 6, 1)))
        for to_state in rng.sample([*STATES, "", ""], rng.randrange(4)):
            case.events.create(kind="transition", to_state=to_state, at=_at(_day(rng, date(2025, 1, 1), TODAY)))
        for session in rng.sample(sessions, rng.randrange(4)):
            Attendance.objects.create(session=session, case=case, status=rng.choice(["present", "present", "absent"]))
        for kind in rng.sample(["start", "end", "midway"], rng.randrange(4)):
            taken = None if rng.random() < 0.15 else _at(date(2025, 7, 1))
            round_ = Round.objects.create(case=case, questionnaire=questionnaire, kind=kind, taken_at=taken)
            for area in rng.sample(areas, rng.randrange(1, 5)):
                Score.objects.create(round=round_, area=area, value=rng.randint(1, 5))
        for _visit in range(rng.choice([0, 0, 1, 2, 3])):
            FollowUpVisit.objects.create(
                case=case,
                date=_day(rng, date(2025, 1, 1), date(2026, 6, 30)),
                company_status=rng.choice(["running", "running", "paused", "closed"]),
                household_income=rng.choice([None, Decimal(9000), Decimal("15000.25"), Decimal(25000)]),
                by=adviser,
            )
        for _number in range(rng.choice([0, 0, 1, 1, 2])):
            status = rng.choice(["active", "active", "active", "repaid", "written_off", "accepted"])
            disbursed = None if status == "accepted" else _day(rng, date(2024, 1, 1), date(2026, 2, 1))
            if n % 23 == 5 and disbursed:
                disbursed = date(2024, 2, 29)
            principal = Decimal(rng.choice([3000, 5000, 12000]))
            loan = _loan(case, product, principal=principal, disbursed=disbursed, status=status, adviser=adviser)
            if disbursed is None:
                continue
            LedgerEntry.objects.create(
                loan=loan, kind="disbursement", value_date=disbursed, amount=principal, principal=principal
            )
            first_due = disbursed + timedelta(days=30)
            for number in range(1, 7):
                due = first_due + timedelta(days=30 * (number - 1))
                inst = _instalment(loan, number, due, principal / 6, Decimal("50.00") - number)
                if n % 11 == 3 and number == 2:
                    # A rescheduled row: inactive, never counted.
                    inst.active = False
                    inst.save(update_fields=["active"])
                if due > TODAY + timedelta(days=20):
                    continue
                behaviour = rng.random()
                if behaviour < 0.55:
                    _pay(loan, inst, "repayment", due, Decimal(1))
                elif behaviour < 0.65:
                    _pay(loan, inst, "repayment", due, Decimal("0.5"))
                elif behaviour < 0.75:
                    paid = _pay(loan, inst, "repayment", due, Decimal(1))
                    _pay(loan, inst, "reversal", due + timedelta(days=3), Decimal(1), reverses=paid)
                elif behaviour < 0.82:
                    _pay(loan, inst, "repayment", due, Decimal(1))
                    _pay(loan, inst, "waiver", due, Decimal("0.2"))
                # else: unpaid (arrears)
            if status == "written_off":
                LedgerEntry.objects.create(
                    loan=loan, kind="write_off", value_date=first_due + timedelta(days=90), amount=0, principal=0
                )
    # Boundaries: an unpaid instalment due exactly 30 days before today (not yet PAR30) and one due today (fallen due).
    edge = CaseFileFactory(participant=ParticipantFactory(), region=regions[0], state="loan")
    loan = _loan(
        edge, product, principal=Decimal(4000), disbursed=TODAY - timedelta(days=60), status="active", adviser=adviser
    )
    LedgerEntry.objects.create(
        loan=loan, kind="disbursement", value_date=TODAY - timedelta(days=60), amount=4000, principal=4000
    )
    _instalment(loan, 1, TODAY - timedelta(days=30), Decimal(2000), Decimal(40))
    _instalment(loan, 2, TODAY, Decimal(2000), Decimal(20))
    assert CaseFile.objects.filter(programme=programme).count() == 71
    return programme, regions, cohorts, adviser


def _same(new, old) -> None:
    """Every part of every figure: exact, but for floating-point sums (the order of additions may differ)."""

    def norm(value):
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("1e-9"))

    assert new.keys() == old.keys()
    for pk in new:
        a, b = new[pk], old[pk]
        got = (norm(a.value), norm(a.numerator), norm(a.denominator), a.base, a.hits)
        want = (norm(b.value), norm(b.numerator), norm(b.denominator), b.base, b.hits)
        assert got == want, a.kind.code


def test_the_figures_and_every_breakdown_are_those_of_the_per_case_sql():
    programme, regions, cohorts, _adviser = build_varied()
    indicators = list(indicators_for(programme).values())
    manager = Lens(programme, "manager", frozenset())

    # The data set exercises every figure, so the comparison compares something.
    result = compute(indicators, cases_for(manager, Filters()), today=TODAY)
    for indicator in indicators:
        assert result[indicator.pk].value, indicator.kind
        assert result[indicator.pk].base > 0, indicator.kind

    scopes = [
        (manager, Filters()),
        (manager, Filters(region=regions[1].pk)),
        (manager, Filters(cohort=cohorts[1].pk)),
        (Lens(programme, "region", frozenset({regions[0].pk, regions[2].pk})), Filters()),
        (manager, Filters(opened_from=date(2025, 6, 1), opened_to=date(2025, 12, 31))),
        (manager, Filters(opened_from=date(2030, 1, 1))),  # no case
    ]
    on = date(2026, 3, 31)
    for lens, filters in scopes:
        cases = cases_for(lens, filters)
        _same(compute(indicators, cases, today=TODAY), reference_compute(indicators, cases, today=TODAY))
        table = table_for(indicators, cases, today=TODAY)
        _same(compute(indicators, cases, today=TODAY, table=table), reference_compute(indicators, cases, today=TODAY))
        for dimension in DIMENSIONS:
            new = breakdown(indicators, cases, dimension=dimension, today=TODAY, on=on, table=table)
            old = reference_breakdown(indicators, cases, dimension=dimension, today=TODAY, on=on)
            assert [(g.key, g.label) for g in new] == [(g.key, g.label) for g in old], (filters, dimension)
            for new_group, old_group in zip(new, old, strict=True):
                _same(new_group.figures, old_group.figures)
        assert _reached(cases) == reference_reached(cases), filters

    # Each kind alone asks only for the metrics it needs: none may be missing.
    cases = cases_for(manager, Filters())
    for indicator in indicators:
        _same(compute([indicator], cases, today=TODAY), reference_compute([indicator], cases, today=TODAY))
        new = breakdown([indicator], cases, dimension="region", today=TODAY, on=TODAY)
        old = reference_breakdown([indicator], cases, dimension="region", today=TODAY, on=TODAY)
        for new_group, old_group in zip(new, old, strict=True):
            _same(new_group.figures, old_group.figures)
