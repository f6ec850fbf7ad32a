"""The budget arithmetic of a business plan: pure functions on plain data, no database.

Every amount is a `Decimal` in the programme's currency. Each computed figure is rounded once,
half up, to the currency's minor unit, and totals are sums of the rounded figures, so every
table the participant sees adds up to the last öre.

The liquidity budget assumes that sales are paid in the month they are made and that costs are
paid in the month they fall due: the simple cash budget taught in the programme's budget module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS = 12
ZERO = Decimal("0")
HUNDRED = Decimal("100")

# ISO 4217 currencies without a minor unit; every other currency has two decimals.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)

STARTUP_CATEGORIES = ("equipment", "stock", "deposits", "launch")


def quantum(currency: str) -> Decimal:
    return Decimal("1") if currency.upper() in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")


def money(value, currency: str = "SEK") -> Decimal:
    """Round to the currency's minor unit, half up (the way people round by hand)."""
    return Decimal(value).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_decimal(value) -> Decimal:
    """Stored figures are strings; a missing or empty one counts as zero."""
    if value in (None, ""):
        return ZERO
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"Not a number: {value!r}") from exc


@dataclass(frozen=True)
class StartupLine:
    category: str  # one of STARTUP_CATEGORIES
    label: str
    amount: Decimal


@dataclass(frozen=True)
class FixedCost:
    label: str
    amount: Decimal  # per month


@dataclass(frozen=True)
class BudgetInput:
    startup: Sequence[StartupLine] = ()
    own_savings: Decimal = ZERO
    loan: Decimal = ZERO
    other_financing: Decimal = ZERO
    revenue: Sequence[Decimal] = field(default_factory=lambda: [ZERO] * MONTHS)  # 12 months
    cogs_percent: Decimal = ZERO  # cost of goods sold, as a share of revenue
    fixed_costs: Sequence[FixedCost] = ()
    loan_repayment: Decimal = ZERO  # per month, paid out of the business
    owner_drawings: Decimal = ZERO  # per month, what the owner takes out to live on


@dataclass(frozen=True)
class CapitalRequirement:
    by_category: dict[str, Decimal]
    total: Decimal
    own_savings: Decimal
    loan: Decimal
    other: Decimal
    financing_total: Decimal
    gap: Decimal  # financing minus requirement: negative means money is missing


@dataclass(frozen=True)
class IncomeMonth:
    month: int
    revenue: Decimal
    cost_of_goods: Decimal
    gross_margin: Decimal
    fixed_costs: Decimal
    result: Decimal
    cumulative_result: Decimal


@dataclass(frozen=True)
class IncomeStatement:
    months: list[IncomeMonth]
    revenue: Decimal
    cost_of_goods: Decimal
    gross_margin: Decimal
    fixed_costs: Decimal
    result: Decimal


@dataclass(frozen=True)
class CashMonth:
    month: int
    opening: Decimal
    inflows: Decimal
    outflows: Decimal
    closing: Decimal

    @property
    def is_negative(self) -> bool:
        return self.closing < ZERO


@dataclass(frozen=True)
class BreakEven:
    contribution_margin_ratio: Decimal  # 0..1, rounded to 4 places for display
    monthly_revenue: Decimal | None  # the revenue per month that covers the fixed costs; None if never
    yearly_revenue: Decimal | None
    first_month_cumulative_positive: int | None  # 1..12, or None if not within the year


@dataclass(frozen=True)
class BudgetResult:
    currency: str
    capital: CapitalRequirement
    income: IncomeStatement
    liquidity: list[CashMonth]
    break_even: BreakEven
    negative_cash_months: list[int]
    financing_gap: bool
    no_contribution_margin: bool

    @property
    def has_warnings(self) -> bool:
        return bool(self.negative_cash_months or self.financing_gap or self.no_contribution_margin)

    @property
    def lowest_cash(self) -> Decimal:
        return min((m.closing for m in self.liquidity), default=ZERO)


def capital_requirement(data: BudgetInput, currency: str) -> CapitalRequirement:
    by_category = dict.fromkeys(STARTUP_CATEGORIES, ZERO)
    for line in data.startup:
        by_category[line.category] = by_category.get(line.category, ZERO) + money(line.amount, currency)
    total = sum(by_category.values(), ZERO)
    own, loan, other = (money(v, currency) for v in (data.own_savings, data.loan, data.other_financing))
    financing = own + loan + other
    return CapitalRequirement(
        by_category=by_category,
        total=total,
        own_savings=own,
        loan=loan,
        other=other,
        financing_total=financing,
        gap=financing - total,
    )


def monthly_fixed_costs(data: BudgetInput, currency: str) -> Decimal:
    return sum((money(c.amount, currency) for c in data.fixed_costs), ZERO)


def income_statement(data: BudgetInput, currency: str) -> IncomeStatement:
    rate = Decimal(data.cogs_percent) / HUNDRED
    fixed = monthly_fixed_costs(data, currency)
    months: list[IncomeMonth] = []
    cumulative = ZERO
    for index, revenue in enumerate(_twelve(data.revenue), start=1):
        revenue = money(revenue, currency)
        cogs = money(revenue * rate, currency)
        margin = revenue - cogs
        result = margin - fixed
        cumulative += result
        months.append(IncomeMonth(index, revenue, cogs, margin, fixed, result, cumulative))
    return IncomeStatement(
        months=months,
        revenue=sum((m.revenue for m in months), ZERO),
        cost_of_goods=sum((m.cost_of_goods for m in months), ZERO),
        gross_margin=sum((m.gross_margin for m in months), ZERO),
        fixed_costs=sum((m.fixed_costs for m in months), ZERO),
        result=sum((m.result for m in months), ZERO),
    )


def liquidity(
    data: BudgetInput, currency: str, income: IncomeStatement, capital: CapitalRequirement
) -> list[CashMonth]:
    """Opening + inflows − outflows = closing, month by month.

    The first month opens with the financing minus the start-up costs paid; then each month opens
    with the previous month's closing cash.
    """
    repayment = money(data.loan_repayment, currency)
    drawings = money(data.owner_drawings, currency)
    opening = capital.financing_total - capital.total
    months = []
    for month in income.months:
        inflows = month.revenue
        outflows = month.cost_of_goods + month.fixed_costs + repayment + drawings
        closing = opening + inflows - outflows
        months.append(CashMonth(month.month, opening, inflows, outflows, closing))
        opening = closing
    return months


def break_even(data: BudgetInput, currency: str, income: IncomeStatement) -> BreakEven:
    """Break-even revenue = fixed costs / contribution margin ratio (1 − cost of goods share)."""
    ratio = (HUNDRED - Decimal(data.cogs_percent)) / HUNDRED
    fixed = monthly_fixed_costs(data, currency)
    if ratio <= ZERO:
        monthly = yearly = None
    else:
        monthly = money(fixed / ratio, currency)
        yearly = money(fixed * MONTHS / ratio, currency)
    first = next((m.month for m in income.months if m.cumulative_result >= ZERO), None)
    return BreakEven(
        contribution_margin_ratio=ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        monthly_revenue=monthly,
        yearly_revenue=yearly,
        first_month_cumulative_positive=first,
    )


def compute(data: BudgetInput, currency: str) -> BudgetResult:
    capital = capital_requirement(data, currency)
    income = income_statement(data, currency)
    cash = liquidity(data, currency, income, capital)
    return BudgetResult(
        currency=currency,
        capital=capital,
        income=income,
        liquidity=cash,
        break_even=break_even(data, currency, income),
        negative_cash_months=[m.month for m in cash if m.is_negative],
        financing_gap=capital.gap < ZERO,
        no_contribution_margin=Decimal(data.cogs_percent) >= HUNDRED,
    )


def _twelve(values: Sequence) -> list[Decimal]:
    values = [to_decimal(v) for v in list(values)[:MONTHS]]
    return values + [ZERO] * (MONTHS - len(values))


# --- The stored form ---------------------------------------------------------------------------
# A plan version keeps its budget as JSON with every amount as a string, so nothing is lost to floats.


def empty_data() -> dict:
    return {
        "startup": [],
        "financing": {"own_savings": "0", "loan": "0", "other": "0"},
        "revenue": ["0"] * MONTHS,
        "cogs_percent": "0",
        "fixed_costs": [],
        "loan_repayment": "0",
        "owner_drawings": "0",
    }


def from_data(data: Mapping | None) -> BudgetInput:
    """The stored JSON as a BudgetInput; missing parts count as zero."""
    data = data or {}
    financing = data.get("financing") or {}
    return BudgetInput(
        startup=[
            StartupLine(line.get("category", "equipment"), line.get("label", ""), to_decimal(line.get("amount")))
            for line in data.get("startup") or []
        ],
        own_savings=to_decimal(financing.get("own_savings")),
        loan=to_decimal(financing.get("loan")),
        other_financing=to_decimal(financing.get("other")),
        revenue=_twelve(data.get("revenue") or []),
        cogs_percent=to_decimal(data.get("cogs_percent")),
        fixed_costs=[
            FixedCost(line.get("label", ""), to_decimal(line.get("amount"))) for line in data.get("fixed_costs") or []
        ],
        loan_repayment=to_decimal(data.get("loan_repayment")),
        owner_drawings=to_decimal(data.get("owner_drawings")),
    )


def to_data(value: BudgetInput) -> dict:
    return {
        "startup": [{"category": s.category, "label": s.label, "amount": str(s.amount)} for s in value.startup],
        "financing": {
            "own_savings": str(value.own_savings),
            "loan": str(value.loan),
            "other": str(value.other_financing),
        },
        "revenue": [str(v) for v in _twelve(value.revenue)],
        "cogs_percent": str(value.cogs_percent),
        "fixed_costs": [{"label": c.label, "amount": str(c.amount)} for c in value.fixed_costs],
        "loan_repayment": str(value.loan_repayment),
        "owner_drawings": str(value.owner_drawings),
    }


def compute_data(data: Mapping | None, currency: str) -> BudgetResult:
    return compute(from_data(data), currency)
