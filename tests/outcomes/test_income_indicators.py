"""The two follow-up kinds (change in household income, businesses still running after 12 months) on a hand-built
data set, with the figures worked out by hand; and the SQL per case against the portfolio selectors.

Figures are taken "today" = 2026-04-01. `world`'s own two cases have no baseline and no visits: they are in no base.

Income (baseline = the participant's household income at intake; latest visit that records an income):
case  region  baseline  visits (date: income)                           change
i1    north   10 000    2025-10-01: 11 000, 2026-02-01: 12 000          +2 000 = +20 %
i2    north   20 000    2026-01-15: 15 000, 2026-03-01: (none)          −5 000 = −25 %
i3    south    8 000    2026-03-01: 10 000                              +2 000 = +25 %
i4    north   —         2026-02-01: 9 000                               no baseline: left out
i5    north   0         2026-02-01: 9 000                               baseline 0: left out
i6    north   15 000    none                                            no visit: left out

Still running after 12 months (12-month point = first payout + 12 months, else the day the case closed + 12 months):
case  start                      point       visits (date: status)                      counted as
r1    payout 2025-01-15          2026-01-15  2025-09-01 running, 2026-01-15 running     running (a visit on the day counts)
r2    payout 2025-02-01          2026-02-01  2026-02-10 running, 2026-03-01 paused      not running (latest: paused)
r3    payout 2025-03-01          2026-03-01  2025-08-01 closed                          not running (closed before)
r4    payout 2025-02-10          2026-02-10  2025-12-01 running                         unknown: no visit since the point
r5    payout 2025-06-01          2026-06-01  2026-03-01 running                         not yet: the point is after today
r6    closed 2025-02-20 (no loan) 2026-02-20 2026-03-15 running                         running
r7    payouts 2024-12-01, 2025-06-01  2025-12-01  2026-01-10 running                    running (the first payout counts)
r8    payout 2024-02-29          2025-02-28  2025-02-28 running                         running (29 Feb + 1 year = 28 Feb)
r9    closed 2025-01-20, loan never paid out  2026-01-20  2026-02-01 closed            not running
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from coaching.models import CaseFile
from loans.models import Loan, LoanStatus
from outcomes.figures import breakdown, compute, show
from outcomes.metrics import INCOME, RUNNING, case_table
from outcomes.selectors import Filters, Lens, cases_for
from portfolio import selectors as portfolio
from portfolio.models import FollowUpVisit
from tests.factories import CaseFileFactory, ParticipantFactory, ProgrammeFactory, RegionFactory, paid_out_loan

from .dataset import indicators_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)
KINDS = ("income_change", "still_running_12m")


def _case(world, *, baseline=None, region=None, **extra) -> CaseFile:
    participant = ParticipantFactory(household_income=None if baseline is None else Decimal(baseline))
    return CaseFileFactory(participant=participant, region=region or world.north, **extra)


def _visit(world, case, day: str, status="running", income=None) -> None:
    FollowUpVisit.objects.create(
        case=case,
        date=date.fromisoformat(day),
        company_status=status,
        household_income=None if income is None else Decimal(income),
        by=world.adviser,
    )


def _loan(world, case, disbursed: str | None) -> None:
    loan = paid_out_loan(case, by=world.adviser)
    if disbursed is None:
        Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.ACCEPTED)
    else:
        Loan.objects.filter(pk=loan.pk).update(disbursed_on=date.fromisoformat(disbursed))


def _closed(world, day: str) -> CaseFile:
    closed_at = datetime.fromisoformat(day).replace(tzinfo=UTC, hour=12)
    return _case(world, state="closed", outcome="company_started", closed_at=closed_at)


@pytest.fixture
def data(world):
    d = world
    d.i1 = _case(d, baseline=10000)
    _visit(d, d.i1, "2025-10-01", income=11000)
    _visit(d, d.i1, "2026-02-01", income=12000)
    d.i2 = _case(d, baseline=20000)
    _visit(d, d.i2, "2026-01-15", income=15000)
    _visit(d, d.i2, "2026-03-01")
    d.i3 = _case(d, baseline=8000, region=d.south)
    _visit(d, d.i3, "2026-03-01", income=10000)
    d.i4 = _case(d)
    _visit(d, d.i4, "2026-02-01", income=9000)
    d.i5 = _case(d, baseline=0)
    _visit(d, d.i5, "2026-02-01", income=9000)
    d.i6 = _case(d, baseline=15000)

    d.r1 = _case(d)
    _loan(d, d.r1, "2025-01-15")
    _visit(d, d.r1, "2025-09-01")
    _visit(d, d.r1, "2026-01-15")
    d.r2 = _case(d)
    _loan(d, d.r2, "2025-02-01")
    _visit(d, d.r2, "2026-02-10")
    _visit(d, d.r2, "2026-03-01", status="paused")
    d.r3 = _case(d)
    _loan(d, d.r3, "2025-03-01")
    _visit(d, d.r3, "2025-08-01", status="closed")
    d.r4 = _case(d)
    _loan(d, d.r4, "2025-02-10")
    _visit(d, d.r4, "2025-12-01")
    d.r5 = _case(d)
    _loan(d, d.r5, "2025-06-01")
    _visit(d, d.r5, "2026-03-01")
    d.r6 = _closed(d, "2025-02-20")
    _visit(d, d.r6, "2026-03-15")
    d.r7 = _case(d)
    _loan(d, d.r7, "2025-06-01")
    _loan(d, d.r7, "2024-12-01")
    _visit(d, d.r7, "2026-01-10")
    d.r8 = _case(d)
    _loan(d, d.r8, "2024-02-29")
    _visit(d, d.r8, "2025-02-28")
    d.r9 = _closed(d, "2025-01-20")
    _loan(d, d.r9, None)
    _visit(d, d.r9, "2026-02-01", status="closed")

    d.indicators = indicators_for(d.programme)
    d.lens = Lens(d.programme, "manager", frozenset())
    return d


def shown(figure) -> str:
    return show(figure, currency="SEK", suppress=False)


def figures_of(d, filters=None):
    result = compute([d.indicators[code] for code in KINDS], cases_for(d.lens, filters or Filters()), today=TODAY)
    return {code: result[d.indicators[code].pk] for code in KINDS}


def test_income_change_is_the_mean_change_in_per_cent_of_the_baseline(data):
    f = figures_of(data)["income_change"]
    # i1 +20 %, i2 −25 % (the last visit has no income: the one before counts), i3 +25 %; i4 (no baseline),
    # i5 (baseline 0) and i6 (no visit) are left out: (20 − 25 + 25) / 3 = 6.67 %.
    assert f.base == 3
    assert f.value.quantize(Decimal("0.01")) == Decimal("6.67")
    assert shown(f) == "6.7 %"


def test_still_running_is_the_share_running_of_those_looked_at_after_12_months(data):
    f = figures_of(data)["still_running_12m"]
    # Base: r1, r2, r3, r6, r7, r8, r9 = 7 (r4 unknown, r5 not yet); running: r1, r6, r7, r8 = 4; 4 / 7 = 57.1 %.
    assert (f.numerator, f.denominator, f.base, f.hits) == (4, 7, 7, 4)
    assert shown(f) == "57.1 %"


def test_by_region(data):
    groups = {
        g.key: g.figures
        for g in breakdown(
            [data.indicators["income_change"]],
            cases_for(data.lens, Filters()),
            dimension="region",
            today=TODAY,
            on=TODAY,
        )
    }
    # North: i1 +20 %, i2 −25 % -> −2.5 %; south: i3 +25 %.
    pk = data.indicators["income_change"].pk
    assert shown(groups["North"][pk]) == "-2.5 %"
    assert shown(groups["South"][pk]) == "25.0 %"


def test_visits_after_today_do_not_count(data):
    _visit(data, data.i3, "2026-05-01", income=40000)
    _visit(data, data.r4, "2026-05-01")
    f = figures_of(data)
    assert shown(f["income_change"]) == "6.7 %"
    assert f["still_running_12m"].base == 7


def test_the_per_case_table_agrees_with_the_portfolio_selectors_case_by_case(data):
    cases = CaseFile.objects.filter(programme=data.programme)
    rows = case_table(cases, today=TODAY, needs={INCOME, RUNNING}).rows
    assert len(rows) == 17
    for row in rows:
        case = cases.select_related("participant").get(pk=row.pk)
        got = None if row.income_change is None else Decimal(str(row.income_change)).quantize(Decimal("0.1"))
        assert got == portfolio.income_change_percent(case), case
        running = portfolio.business_running_after(case, months=12)
        assert row.running_12m == (None if running is None else int(running)), case


def test_an_empty_programme_shows_a_dash():
    programme = ProgrammeFactory()
    RegionFactory(programme=programme)
    indicators = indicators_for(programme)
    lens = Lens(programme, "manager", frozenset())
    result = compute([indicators[code] for code in KINDS], cases_for(lens, Filters()), today=TODAY)
    for code in KINDS:
        assert show(result[indicators[code].pk], currency="SEK", suppress=False) == "—", code
