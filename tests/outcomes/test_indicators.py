"""Every indicator kind on the hand-built data set of dataset.py, with the figure worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coaching.models import CaseFile
from outcomes.figures import (
    AT_RISK,
    DIMENSIONS,
    OFF_TRACK,
    ON_TRACK,
    breakdown,
    compute,
    light,
    show,
    table_for,
    target_now,
)
from outcomes.models import Indicator, Unit
from outcomes.report import build
from outcomes.selectors import Filters, Lens, cases_for, funnel, trends
from tests.factories import ProgrammeFactory, RegionFactory

from .dataset import TODAY, indicators_for
from .dataset import build as build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    d = build_dataset()
    d.indicators = indicators_for(d.programme)
    d.lens = Lens(d.programme, "manager", frozenset())
    return d


def figures_of(d, filters=None, lens=None):
    cases = cases_for(lens or d.lens, filters or Filters())
    result = compute(list(d.indicators.values()), cases, today=TODAY)
    return {code: result[indicator.pk] for code, indicator in d.indicators.items()}


def shown(figure, suppress=False):
    return show(figure, currency="SEK", suppress=suppress)


def test_people_figures(data):
    f = figures_of(data)
    # 8 case files.
    assert f["mobilised"].value == 8
    # 7 women of 8 = 87.5 %.
    assert shown(f["women"]) == "87.5 %"
    # c1, c2, c4, c6, c7, c8 = 6 of 8 = 75 %.
    assert shown(f["foreign_background"]) == "75.0 %"
    # permanent c1, c4, c6, c8 + citizen c2 = 5 of 8 = 62.5 %.
    assert shown(f["permanent_residence"]) == "62.5 %"


def test_coaching_figures(data):
    f = figures_of(data)
    # Started coaching: c1, c2, c3 (closed), c4 (business plan), c5 (coaching), c7 (withdrawn after coaching) = 6.
    # Completed: c1 (company), c2 (employed), c4 (business plan) = 3; c3 closed with no next step does not count.
    assert (f["completed_coaching"].numerator, f["completed_coaching"].denominator) == (3, 6)
    assert shown(f["completed_coaching"]) == "50.0 %"
    # Hours present: c1 2 h + 1.5 h, c2 2 h, c4 1.5 h = 7 h over the 6 who started = 1.1666… h.
    # (c6 attended but never started coaching: her 2 h are not counted.)
    assert shown(f["coaching_hours"]) == "1.2 h"
    assert f["coaching_hours"].value.quantize(Decimal("0.001")) == Decimal("1.167")
    # Health check: c1 +1.5, c4 0 (c2 has no end round) -> 0.75 points.
    assert f["health_check"].value == Decimal("0.75")
    assert f["health_check"].base == 2


def test_outcome_figures(data):
    f = figures_of(data)
    # One company (c1) of 8 participants = 12.5 %; and it is a social enterprise.
    assert shown(f["companies_started"]) == "12.5 %"
    assert f["companies_started"].numerator == 1
    assert f["social_enterprises"].numerator == 1
    # Next step: c1 company, c2 employed, of 3 closed cases (c3 no next step) = 66.7 %.
    assert shown(f["next_step"]) == "66.7 %"


def test_counts_are_numbers_when_the_unit_is_a_number(data):
    data.indicators = indicators_for(data.programme, unit_overrides={"companies_started": Unit.COUNT})
    assert shown(figures_of(data)["companies_started"]) == "1"


def test_loan_figures(data):
    f = figures_of(data)
    # L1 10 000 + L2 5 000 + L3 2 000 = 3 loans, 17 000 SEK.
    assert f["loans_disbursed"].value == 3
    assert f["amount_disbursed"].value == Decimal("17000")
    assert shown(f["amount_disbursed"]).endswith("SEK")
    # Due by 1 April: L1 1 100 + 1 090, L2 550 + 545, L3 2 020 = 5 305; repaid 1 100 + 2 020 = 3 120 -> 58.8 %.
    assert shown(f["repayment_rate"]) == "58.8 %"
    # Outstanding principal of active loans: L1 9 000 + L2 5 000 = 14 000; L2 is 90 days overdue: 5 000 / 14 000.
    assert shown(f["par30"]) == "35.7 %"


def test_follow_up_kinds_without_visits_have_no_base(data):
    # No follow-up visits in this data set (see test_income_indicators.py): nothing to average, no share.
    f = figures_of(data)
    assert shown(f["income_change"]) == "—"
    assert shown(f["still_running_12m"]) == "—"


def test_an_empty_programme_divides_by_nothing():
    programme = ProgrammeFactory()
    RegionFactory(programme=programme)
    indicators = indicators_for(programme)
    lens = Lens(programme, "manager", frozenset())

    result = compute(list(indicators.values()), cases_for(lens, Filters()), today=TODAY)
    f = {code: result[i.pk] for code, i in indicators.items()}

    assert shown(f["mobilised"]) == "0"
    for code in (
        "women",
        "completed_coaching",
        "next_step",
        "coaching_hours",
        "health_check",
        "income_change",
        "still_running_12m",
        "repayment_rate",
        "par30",
    ):
        assert shown(f[code]) == "—", code
    report = build(lens, Filters(), today=TODAY)
    assert {row.light.code for row in report.rows if row.indicator.kind == "women"} == {"no-data"}


def test_a_person_who_moved_counts_in_her_current_region(data):
    # c8 opened in A and moved to B: A has c1, c2, c3, c7; B has c4, c5, c6, c8.
    in_a = figures_of(data, Filters(region=data.a.pk))
    in_b = figures_of(data, Filters(region=data.b.pk))
    assert (in_a["mobilised"].value, in_b["mobilised"].value) == (4, 4)
    lead_of_a = Lens(data.programme, "region", frozenset({data.a.pk}))
    assert figures_of(data, lens=lead_of_a)["mobilised"].value == 4
    # Even asking for B, a lead of A sees only A.
    assert figures_of(data, Filters(region=data.b.pk), lens=lead_of_a)["mobilised"].value == 0


def test_cohort_and_period_filters(data):
    # Cohort X: c1, c2 -> both women, both closed with a next step.
    x = figures_of(data, Filters(cohort=data.x.pk))
    assert x["mobilised"].value == 2
    assert shown(x["next_step"]) == "100.0 %"
    # Every case was opened on 10 January: a period in February holds none.
    february = figures_of(data, Filters(opened_from=date(2026, 2, 1), opened_to=date(2026, 2, 28)))
    assert february["mobilised"].value == 0


def groups(data, dimension, code):
    indicator = data.indicators[code]
    rows = breakdown(
        list(data.indicators.values()), cases_for(data.lens, Filters()), dimension=dimension, today=TODAY, on=TODAY
    )
    return {str(g.label): g.figures[indicator.pk] for g in rows}


def test_breakdown_by_gender_region_cohort_and_age(data):
    assert {k: v.value for k, v in groups(data, "gender", "mobilised").items()} == {"woman": 7, "man": 1}
    assert {k: v.value for k, v in groups(data, "region", "mobilised").items()} == {"Alpha": 4, "Beta": 4}
    # X: c1, c2; Y: c4; the other five are in no cohort.
    by_cohort = {k: v.value for k, v in groups(data, "cohort", "mobilised").items()}
    assert by_cohort == {"Alpha spring": 2, "Beta spring": 1, "no cohort": 5}
    # On 1 April 2026: c2 (born 2 April 2001) is 24; c5 (born 1 April 2001) turns 25 that day; c3 is 56;
    # c1, c4, c6, c7, c8 are 35-44.
    by_age = {k: v.value for k, v in groups(data, "age", "mobilised").items()}
    assert by_age == {"<25": 1, "25-34": 1, "35-44": 5, "55+": 1}
    # Shares per group use the group's own base: women's next step = c1, c2 of closed women c1, c2.
    assert shown(groups(data, "gender", "next_step")["woman"]) == "100.0 %"


# The per-case table of every kind: the cases, then started (1), minutes (1), health (2), loans (1), repayment (2),
# PAR (2), income (1), running (1). It was one query for the indicator table and one per breakdown, five in all on the
# dashboard; it is now twelve in all, whatever the number of cases and breakdowns (each breakdown reads none).
TABLE_QUERIES = 12


def test_the_figures_take_a_fixed_number_of_queries_and_breakdowns_none_more(data, django_assert_num_queries):
    indicators = list(data.indicators.values())
    cases = cases_for(data.lens, Filters())
    with django_assert_num_queries(TABLE_QUERIES):
        table = table_for(indicators, cases, today=TODAY)
    with django_assert_num_queries(0):
        compute(indicators, cases, today=TODAY, table=table)
        for dimension in DIMENSIONS:
            breakdown(indicators, cases, dimension=dimension, today=TODAY, on=TODAY, table=table)
    with django_assert_num_queries(TABLE_QUERIES):
        compute(indicators, cases, today=TODAY)
    # Only what the kinds need: the share of women reads the cases alone.
    with django_assert_num_queries(1):
        compute([data.indicators["women"]], cases, today=TODAY)


def test_the_query_count_does_not_grow_with_the_cases(data, django_assert_num_queries):
    more = build_dataset()  # eight more cases, loans, scores, attendance, in a programme of their own
    CaseFile.objects.filter(programme=more.programme).update(programme=data.programme)
    cases = cases_for(data.lens, Filters())
    assert cases.count() == 16
    with django_assert_num_queries(TABLE_QUERIES):
        table_for(list(data.indicators.values()), cases, today=TODAY)


def test_small_cells_are_suppressed(data):
    by_gender = groups(data, "gender", "mobilised")
    # One man: fewer than 5 people.
    assert shown(by_gender["man"], suppress=True) == "<5"
    assert shown(by_gender["man"], suppress=False) == "1"
    # 7 women: shown.
    assert shown(by_gender["woman"], suppress=True) == "7"
    # Next step: 2 of 3 closed cases rests on 3 people.
    assert shown(figures_of(data)["next_step"], suppress=True) == "<5"


def test_funnel_counts_conversion_and_median_days(data):
    steps = {s.stage: s for s in funnel(cases_for(data.lens, Filters()))}
    # Everyone is mobilised; intake: every case beyond mobilised (c8 is not) = 7.
    assert steps["mobilised"].reached == 8
    assert steps["intake"].reached == 7
    # Coaching: c1-c5 and c7 = 6; business plan: c4 = 1 (c1, c2 closed without passing it).
    assert steps["coaching"].reached == 6
    assert steps["business_plan"].reached == 1
    assert round(steps["coaching"].conversion) == 86  # 6 of 7
    # Stays in intake: c1 10 days, c4 6 days -> median 8; in coaching: c1 30, c4 30, c7 12 -> median 30.
    assert steps["intake"].median_days == 8
    assert steps["coaching"].median_days == 30


def test_traffic_light_rule(data):
    programme = data.programme  # 2026-01-01 to 2026-12-31
    share = Indicator(programme=programme, kind="women", unit=Unit.PERCENT, target_min=Decimal(80))
    f = figures_of(data)
    # 87.5 % >= 80 %: on track.
    assert light(share, f["women"], programme=programme, today=TODAY) == ON_TRACK
    # 75 % against 85 %: at least 80 % of the target (68 %): at risk.
    background = Indicator(programme=programme, kind="foreign_background", unit=Unit.PERCENT, target_min=Decimal(85))
    assert light(background, f["foreign_background"], programme=programme, today=TODAY) == AT_RISK
    # Mobilised 8 against 180 for the year; by 1 April 90 of 364 days have passed: 44.51 expected -> off track.
    mobilised = Indicator(programme=programme, kind="mobilised", unit=Unit.COUNT, target_min=Decimal(180))
    assert target_now(mobilised, programme, TODAY) == Decimal("44.51")
    assert light(mobilised, f["mobilised"], programme=programme, today=TODAY) == OFF_TRACK
    # PAR30 35.7 % against a ceiling of 5 %: off track; against 30 % (up to 37.5 %): at risk.
    par = Indicator(programme=programme, kind="par30", unit=Unit.PERCENT, target_min=Decimal(5), lower_is_better=True)
    assert light(par, f["par30"], programme=programme, today=TODAY) == OFF_TRACK
    par.target_min = Decimal(30)
    assert light(par, f["par30"], programme=programme, today=TODAY) == AT_RISK


def test_trends_month_by_month(data):
    series = {t.code: dict(t.points) for t in trends(cases_for(data.lens, Filters()), end=TODAY)}
    january, march = date(2026, 1, 1), date(2026, 3, 1)
    # 12 months: May 2025 to April 2026.
    assert list(series["mobilised"])[0] == date(2025, 5, 1)
    assert len(series["mobilised"]) == 12
    # All 8 opened on 10 January; the running total stays at 8 from then on.
    assert series["mobilised"][january] == 8
    assert series["cumulative"][date(2025, 12, 1)] == 0
    assert series["cumulative"][date(2026, 4, 1)] == 8
    # Into coaching in January: c1, c4, c7.
    assert series["coaching"][january] == 3
    # c1's company closed on 1 March.
    assert series["companies"][march] == 1
    # Paid out: L3 June 2025 (2 000), L2 December 2025 (5 000), L1 January 2026 (10 000).
    assert series["loans"][date(2025, 6, 1)] == 1
    assert series["amount"][january] == Decimal("10000")
