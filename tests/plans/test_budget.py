"""The budget arithmetic, with figures checked by hand (the working is in the comments)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans import budget
from plans.budget import BudgetInput, FixedCost, StartupLine

D = Decimal


def sewing_studio() -> BudgetInput:
    """A tailoring studio: under-financed, slow start, so cash is negative for nine months."""
    return BudgetInput(
        startup=[
            StartupLine("equipment", "Industrial sewing machine", D("12000")),
            StartupLine("equipment", "Cutting table", D("3500.50")),
            StartupLine("stock", "Fabric and thread", D("4000")),
            StartupLine("deposits", "Rent deposit", D("6000")),
            StartupLine("launch", "Sign and flyers", D("1499.50")),
        ],
        own_savings=D("5000"),
        loan=D("20000"),
        revenue=[D(v) for v in (0, 2000, 4000, 6000, 8000, 10000, 10000, 10000, 12000, 12000, 12000, 12000)],
        cogs_percent=D("30"),
        fixed_costs=[FixedCost("Rent", D("2500")), FixedCost("Insurance", D("250")), FixedCost("Phone", D("150"))],
        loan_repayment=D("900"),
        owner_drawings=D("1000"),
    )


def test_capital_requirement_totals_and_the_financing_gap():
    capital = budget.capital_requirement(sewing_studio(), "SEK")
    # 12000 + 3500.50 = 15500.50 equipment; 4000 stock; 6000 deposits; 1499.50 launch = 27000.00
    assert capital.by_category == {
        "equipment": D("15500.50"),
        "stock": D("4000.00"),
        "deposits": D("6000.00"),
        "launch": D("1499.50"),
    }
    assert capital.total == D("27000.00")
    assert capital.financing_total == D("25000.00")
    assert capital.gap == D("-2000.00")


def test_income_statement_month_by_month_and_the_year():
    income = budget.income_statement(sewing_studio(), "SEK")
    # Month 2: revenue 2000, 30 % cost of goods 600, margin 1400, fixed 2900 -> result -1500.
    m2 = income.months[1]
    assert (m2.revenue, m2.cost_of_goods, m2.gross_margin, m2.fixed_costs, m2.result) == (
        D("2000.00"),
        D("600.00"),
        D("1400.00"),
        D("2900.00"),
        D("-1500.00"),
    )
    assert [m.result for m in income.months] == [
        D(v) for v in ("-2900", "-1500", "-100", "1300", "2700", "4100", "4100", "4100", "5500", "5500", "5500", "5500")
    ]
    # Year: revenue 98000, cost of goods 29400, margin 68600, fixed 12 x 2900 = 34800, result 33800.
    assert income.revenue == D("98000.00")
    assert income.cost_of_goods == D("29400.00")
    assert income.gross_margin == D("68600.00")
    assert income.fixed_costs == D("34800.00")
    assert income.result == D("33800.00")
    assert income.months[-1].cumulative_result == income.result


def test_liquidity_opens_with_financing_minus_start_up_costs_and_warns_of_negative_cash():
    result = budget.compute(sewing_studio(), "SEK")
    cash = result.liquidity
    # Opening = 25000 financing - 27000 start-up = -2000; outflows = cost of goods + 2900 + 900 + 1000.
    assert cash[0].opening == D("-2000.00")
    assert (cash[0].inflows, cash[0].outflows, cash[0].closing) == (D("0.00"), D("4800.00"), D("-6800.00"))
    assert [m.closing for m in cash] == [
        D(v)
        for v in (
            "-6800",
            "-10200",
            "-12200",
            "-12800",
            "-12000",
            "-9800",
            "-7600",
            "-5400",
            "-1800",
            "1800",
            "5400",
            "9000",
        )
    ]
    for before, after in zip(cash, cash[1:], strict=False):
        assert after.opening == before.closing
    assert result.negative_cash_months == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert result.lowest_cash == D("-12800.00")
    assert result.financing_gap is True
    assert result.has_warnings


def test_break_even_revenue_and_the_first_month_the_cumulative_result_is_positive():
    result = budget.compute(sewing_studio(), "SEK")
    # 2900 / 0.70 = 4142.857... -> 4142.86; 34800 / 0.70 = 49714.2857... -> 49714.29
    assert result.break_even.contribution_margin_ratio == D("0.7000")
    assert result.break_even.monthly_revenue == D("4142.86")
    assert result.break_even.yearly_revenue == D("49714.29")
    # Cumulative: -2900, -4400, -4500, -3200, -500, +3600 -> month 6.
    assert result.break_even.first_month_cumulative_positive == 6


def test_a_fully_financed_plan_has_no_warnings():
    data = BudgetInput(
        startup=[StartupLine("equipment", "Oven", D("10000"))],
        own_savings=D("4000"),
        loan=D("8000"),
        revenue=[D("5000")] * 12,
        cogs_percent=D("40"),
        fixed_costs=[FixedCost("Rent", D("1500"))],
    )
    result = budget.compute(data, "SEK")
    # Opening 2000; each month +5000 - 2000 - 1500 = +1500.
    assert result.liquidity[0].closing == D("3500.00")
    assert result.liquidity[-1].closing == D("20000.00")
    assert result.negative_cash_months == []
    assert not result.has_warnings
    assert result.break_even.first_month_cumulative_positive == 1


def test_rounding_is_half_up_to_the_minor_unit_each_month():
    # 10.01 x 50 % = 5.005 -> 5.01 (half up; banker's rounding would give 5.00).
    # 1000.05 x 33.5 % = 335.01675 -> 335.02.
    data = BudgetInput(revenue=[D("10.01"), D("1000.05")] + [D("0")] * 10, cogs_percent=D("50"))
    assert budget.income_statement(data, "SEK").months[0].cost_of_goods == D("5.01")
    data = BudgetInput(revenue=[D("1000.05")] + [D("0")] * 11, cogs_percent=D("33.5"))
    month = budget.income_statement(data, "SEK").months[0]
    assert month.cost_of_goods == D("335.02")
    assert month.gross_margin == D("665.03")
    assert budget.money(D("2.345")) == D("2.35")
    assert budget.money(D("-2.345")) == D("-2.35")


def test_yearly_totals_are_sums_of_the_rounded_months():
    # 0.01 x 50 % = 0.005 rounds to 0.01 each month, so the year is 12 x 0.01 = 0.12 (unrounded: 0.06).
    data = BudgetInput(revenue=[D("0.01")] * 12, cogs_percent=D("50"))
    income = budget.income_statement(data, "SEK")
    assert income.cost_of_goods == D("0.12")
    assert income.gross_margin == D("0.00")


def test_zero_decimal_currency_rounds_to_whole_units():
    assert budget.money(D("1234.5"), "VND") == D("1235")
    data = BudgetInput(revenue=[D("1001")] + [D("0")] * 11, cogs_percent=D("50"))
    assert budget.income_statement(data, "VND").months[0].cost_of_goods == D("501")


def test_no_contribution_margin_means_no_break_even():
    data = BudgetInput(revenue=[D("100")] * 12, cogs_percent=D("100"), fixed_costs=[FixedCost("Rent", D("10"))])
    result = budget.compute(data, "SEK")
    assert result.break_even.monthly_revenue is None
    assert result.no_contribution_margin
    assert result.break_even.first_month_cumulative_positive is None


def test_stored_json_round_trips_and_empty_data_is_all_zero():
    data = budget.to_data(sewing_studio())
    assert budget.from_data(data) == sewing_studio()
    empty = budget.compute_data(budget.empty_data(), "SEK")
    assert empty.capital.total == D("0")
    assert empty.liquidity[-1].closing == D("0")
    assert budget.compute_data(None, "SEK").negative_cash_months == []


def test_stored_text_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        budget.from_data({"revenue": ["12 000 kr"]})


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(
    revenue=st.lists(amounts, min_size=12, max_size=12),
    cogs=st.decimals(min_value=0, max_value=100, places=1),
    rent=amounts,
    savings=amounts,
    start=amounts,
)
def test_every_month_balances_and_the_year_adds_up(revenue, cogs, rent, savings, start):
    data = BudgetInput(
        startup=[StartupLine("equipment", "x", start)],
        own_savings=savings,
        revenue=revenue,
        cogs_percent=cogs,
        fixed_costs=[FixedCost("Rent", rent)],
    )
    result = budget.compute(data, "SEK")
    for m in result.liquidity:
        assert m.opening + m.inflows - m.outflows == m.closing
    assert result.liquidity[-1].closing == savings - start + result.income.result
    assert result.income.result == sum(m.result for m in result.income.months)
