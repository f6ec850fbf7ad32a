"""A hand-built programme whose every figure is worked out by hand in the tests' comments.

Programme P (2026-01-01 to 2026-12-31), regions A and B; figures are taken "today" = 2026-04-01.

case  gender  foreign  permit         born        region  stage                      cohort
c1    woman   yes      permanent      1990-05-17  A       closed, company (social)   X
c2    woman   yes      citizen        2001-04-02  A       closed, employed           X
c3    man     no       temporary      1970-01-01  A       closed, no next step       —
c4    woman   yes      permanent      1985-06-01  B       business plan              Y
c5    woman   no       unknown        2001-04-01  B       coaching                   —
c6    woman   yes      permanent      1990-05-17  B       intake                     —
c7    woman   yes      asylum seeker  1990-05-17  A       withdrawn after coaching   —
c8    woman   yes      permanent      1990-05-17  B*      mobilised                  —
(* opened in A, moved to B: she counts in B.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

from coaching.models import Attendance, CaseEvent, CaseFile, Cohort, CohortMember, Session
from healthchecks.models import Area, Questionnaire, Round, Score
from loans.models import Allocation, Instalment, LedgerEntry, Loan, LoanApplication, LoanProduct
from neem.models import Programme
from outcomes.kinds import KIND_LIST
from outcomes.models import CaseOutcomeDetail, Indicator, Unit
from tests.factories import CaseFileFactory, ParticipantFactory, ProgrammeFactory, RegionFactory, UserFactory

TODAY = date(2026, 4, 1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC, hour=12)


def indicators_for(programme: Programme, *, unit_overrides: dict | None = None) -> dict[str, Indicator]:
    """One indicator of every kind; shares where the kind can be one."""
    unit_overrides = unit_overrides or {}
    made = {}
    for order, kind in enumerate(KIND_LIST):
        unit = unit_overrides.get(kind.code, Unit.PERCENT if kind.can_be_share else Unit.COUNT)
        made[kind.code] = Indicator.objects.create(
            programme=programme,
            kind=kind.code,
            label=str(kind.label),
            unit=unit,
            target_min=Decimal(10),
            order=order,
        )
    return made


def _case(region, *, state, gender="woman", foreign=True, permit="permanent", born=date(1990, 5, 17), **extra):
    participant = ParticipantFactory(
        gender=gender, foreign_background=foreign, residence_permit=permit, date_of_birth=born
    )
    return CaseFileFactory(participant=participant, region=region, state=state, opened_at=at("2026-01-10"), **extra)


def _event(case, to_state, day, from_state=""):
    return CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.TRANSITION, from_state=from_state, to_state=to_state, at=at(day)
    )


def _loan(case, product, *, principal, disbursed, status, adviser):
    application = LoanApplication.objects.create(
        case=case, product=product, amount=principal, term=3, purpose="x", assessment="y", created_by=adviser
    )
    return Loan.objects.create(
        application=application,
        case=case,
        product=product,
        currency="SEK",
        principal=principal,
        term=3,
        status=status,
        disbursed_on=disbursed,
    )


def _instalment(loan, number, due, principal, interest):
    return Instalment.objects.create(
        loan=loan, version=1, number=number, due_date=due, principal=Decimal(principal), interest=Decimal(interest)
    )


def build() -> SimpleNamespace:
    programme = ProgrammeFactory(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    a = RegionFactory(programme=programme, name="Alpha", slug="alpha")
    b = RegionFactory(programme=programme, name="Beta", slug="beta")
    adviser = UserFactory()
    d = SimpleNamespace(programme=programme, a=a, b=b, adviser=adviser)
    d.c1 = _case(a, state="closed", outcome="company_started", closed_at=at("2026-03-01"))
    d.c2 = _case(
        a, state="closed", outcome="employed", permit="citizen", born=date(2001, 4, 2), closed_at=at("2026-03-05")
    )
    d.c3 = _case(
        a,
        state="closed",
        outcome="no_next_step",
        gender="man",
        foreign=False,
        permit="temporary",
        born=date(1970, 1, 1),
    )
    d.c4 = _case(b, state="business_plan", born=date(1985, 6, 1))
    d.c5 = _case(b, state="coaching", foreign=False, permit="unknown", born=date(2001, 4, 1))
    d.c6 = _case(b, state="intake")
    d.c7 = _case(a, state="withdrawn", permit="asylum_seeker")
    d.c8 = _case(a, state="mobilised")
    CaseFile.objects.filter(pk=d.c8.pk).update(region=b)  # she moved: counted in B
    CaseOutcomeDetail.objects.create(case=d.c1, social_enterprise=True)

    # Timeline: c7 entered coaching before withdrawing; c1 spent 10 days in intake and 30 in coaching.
    _event(d.c1, "mobilised", "2026-01-10")
    _event(d.c1, "intake", "2026-01-11", "mobilised")
    _event(d.c1, "coaching", "2026-01-21", "intake")
    _event(d.c1, "closed", "2026-02-20", "coaching")
    _event(d.c4, "intake", "2026-01-11", "mobilised")
    _event(d.c4, "coaching", "2026-01-17", "intake")
    _event(d.c4, "business_plan", "2026-02-16", "coaching")
    _event(d.c7, "coaching", "2026-01-20", "intake")
    _event(d.c7, "withdrawn", "2026-02-01", "coaching")

    # Cohorts: X (A) with c1 and c2, Y (B) with c4.
    d.x = Cohort.objects.create(region=a, name="Alpha spring", starts_on=date(2026, 1, 15))
    d.y = Cohort.objects.create(region=b, name="Beta spring", starts_on=date(2026, 1, 15))
    for cohort, case in ((d.x, d.c1), (d.x, d.c2), (d.y, d.c4)):
        CohortMember.objects.create(cohort=cohort, case=case)

    # Coaching hours: 120-minute session (c1, c2 present; c3 absent; c6 present but never started coaching)
    # and a 90-minute one (c1, c4 present).
    first = Session.objects.create(
        region=a, starts_at=at("2026-02-01"), duration_minutes=120, topic="Budget", place="Hall"
    )
    second = Session.objects.create(
        region=a, starts_at=at("2026-02-08"), duration_minutes=90, topic="Market", place="Hall"
    )
    for session, case, status in (
        (first, d.c1, "present"),
        (first, d.c2, "present"),
        (first, d.c3, "absent"),
        (first, d.c6, "present"),
        (second, d.c1, "present"),
        (second, d.c4, "present"),
    ):
        Attendance.objects.create(session=session, case=case, status=status)

    # Health checks: c1 start {v:2, m:3}, end {v:4, m:4, f:5} -> areas in both v, m: 4 - 2.5 = +1.5;
    # c4 start {3,3,3}, end {3,2,4} -> 0; c2 only a start round -> not counted.
    questionnaire = Questionnaire.objects.create(programme=programme, name="Health check")
    v, m, f = (Area.objects.create(questionnaire=questionnaire, code=c, label=c, order=i) for i, c in enumerate("vmf"))

    def health(case, kind, scores):
        taken = Round.objects.create(case=case, questionnaire=questionnaire, kind=kind, taken_at=at("2026-02-01"))
        for area, value in scores.items():
            Score.objects.create(round=taken, area=area, value=value)

    health(d.c1, "start", {v: 2, m: 3})
    health(d.c1, "end", {v: 4, m: 4, f: 5})
    health(d.c4, "start", {v: 3, m: 3, f: 3})
    health(d.c4, "end", {v: 3, m: 2, f: 4})
    health(d.c2, "start", {v: 1, m: 1, f: 1})

    # Loans.
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
    # L1 (c1): 10 000 paid out; #1 (1 000 + 100) repaid; #2 (1 000 + 90) due 15 March, unpaid: 17 days, not PAR30.
    d.l1 = _loan(d.c1, product, principal=Decimal(10000), disbursed=date(2026, 1, 15), status="active", adviser=adviser)
    i1 = _instalment(d.l1, 1, date(2026, 2, 15), 1000, 100)
    _instalment(d.l1, 2, date(2026, 3, 15), 1000, 90)
    _instalment(d.l1, 3, date(2026, 4, 15), 8000, 80)
    LedgerEntry.objects.create(
        loan=d.l1, kind="disbursement", value_date=date(2026, 1, 15), amount=10000, principal=10000
    )
    paid = LedgerEntry.objects.create(
        loan=d.l1, kind="repayment", value_date=date(2026, 2, 15), amount=1100, principal=-1000, interest=-100
    )
    Allocation.objects.create(entry=paid, instalment=i1, principal=1000, interest=100)
    # L2 (c4): 5 000 paid out; #1 (500 + 50, due 1 Jan) and #2 (500 + 45, due 1 Feb) unpaid: 90 days, at risk.
    d.l2 = _loan(d.c4, product, principal=Decimal(5000), disbursed=date(2025, 12, 1), status="active", adviser=adviser)
    _instalment(d.l2, 1, date(2026, 1, 1), 500, 50)
    _instalment(d.l2, 2, date(2026, 2, 1), 500, 45)
    LedgerEntry.objects.create(
        loan=d.l2, kind="disbursement", value_date=date(2025, 12, 1), amount=5000, principal=5000
    )
    # L3 (c2): 2 000, repaid in full (2 000 + 20).
    d.l3 = _loan(d.c2, product, principal=Decimal(2000), disbursed=date(2025, 6, 1), status="repaid", adviser=adviser)
    i3 = _instalment(d.l3, 1, date(2025, 7, 1), 2000, 20)
    LedgerEntry.objects.create(loan=d.l3, kind="disbursement", value_date=date(2025, 6, 1), amount=2000, principal=2000)
    repaid = LedgerEntry.objects.create(
        loan=d.l3, kind="repayment", value_date=date(2025, 7, 1), amount=2020, principal=-2000, interest=-20
    )
    Allocation.objects.create(entry=repaid, instalment=i3, principal=2000, interest=20)
    return d
