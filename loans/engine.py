"""Loan repayment schedules: a pure module (no Django, no database).

`build_schedule(terms)` turns a product's terms into the list of instalments (number, due date, principal,
interest, fees, total, outstanding balance) with totals and the APR. Money is `Decimal` throughout and every
amount is rounded explicitly; floats appear only inside the APR solver.

The behaviour follows Apache Fineract's *cumulative* schedule generator (`LoanApplicationTerms`,
`DefaultScheduleGenerator`) so that a Fineract loan product maps one to one onto `ScheduleTerms`:

* Rounding: every amount is rounded to `digits` with HALF_EVEN (Fineract's default `MoneyHelper` rounding
  mode, configuration value 6), then to `currency_multiples_of` if set (Fineract's currency "in multiples of").
* Periodic rate, interest period "same as repayment": annual rate / periods per year x repayment_every,
  periods per year being 12 (months), 52 (weeks), or the days-in-year (days; 365 when "actual").
  The number of days in the period does not matter.
* Periodic rate, interest period "daily": annual rate / days-in-year x days in the period. As in Fineract's
  cumulative generator, "actual" days-in-year means 365 here (leap years are not treated specially; only
  Fineract's progressive engine distinguishes them). Days-in-month 30 counts every month as 30 days.
* Declining balance: interest = balance x periodic rate. Equal instalments use the PMT annuity on the
  principal over the instalments that repay principal (`installments - grace_principal`); the instalment is
  rounded to `digits`, then to `installment_multiples_of` (half up, Fineract's `Money.roundToMultiplesOf`);
  principal = instalment - interest of the period. With the "daily" interest period the PMT uses the rate of
  the first period. Equal principal: principal / principal-paying instalments, rounded.
* Flat: total interest = principal x periodic rate summed over the term, spread equally over the
  instalments; with `installment_multiples_of` the regular principal is chosen so that principal + interest is
  a multiple (Fineract RS01 gives 278 + 50 = 328).
* Grace on principal: the first N instalments repay no principal. Grace on interest payment: the interest of
  the first N instalments is not waived but deferred to the first instalment after the grace.
* The last instalment repays the remaining balance, so principal sums exactly to the amount; a flat loan's
  last instalment also takes the interest left after rounding.
* Coarse rounding (not covered by Fineract's tests): a regular principal or flat interest share that,
  rounded to the nearest unit or currency multiple, would use up the total before the last instalment is
  rounded down instead, so the last instalment absorbs the difference (and flat interest never goes negative).
  An equal instalment rounded so far up that it repays the loan early raises `ScheduleError` rather than
  produce empty instalments.
* Not modelled: Fineract's `principalThresholdForLastInstallment`, interest-free periods
  (`graceOnInterestCharged`), interest recalculation, and the late-penalty rule (penalties are not part of a
  schedule; they belong to the product and to repayment processing).
* Due dates: disbursement (start) date + k x repayment_every days / weeks / months (months keep the day of
  the start date, clamped to the month's length).
* Fees at disbursement (flat and/or percent of the principal) are charged on the disbursement date, not in
  an instalment; they count in `total_repayment` and in the APR.

APR: the effective annual rate of the cash flows, like the EU consumer-credit APR (Directive 2008/48/EC,
Annex I): the borrower receives principal - disbursement fees at the start and pays each instalment's total;
the periodic internal rate of return i gives APR = (1 + i) ** periods_per_year - 1, with 12 / every months,
52 / every weeks or 365 / every days a year. Reported in percent, two decimals.

References asserted cent for cent in tests/loans/test_engine.py, from Fineract's e2e features under
`fineract-e2e-tests-runner/src/test/resources/features/`: `LoanRepayment.feature` scenarios RS01 to RS07
(TestRail C2490, C2492-C2497) and the LoanAccrualActivity feature's C3172 (repayment every 5 days).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

__all__ = [
    "Installment",
    "Schedule",
    "ScheduleError",
    "ScheduleTerms",
    "build_schedule",
]

Frequency = Literal["days", "weeks", "months"]
InterestMethod = Literal["flat", "declining"]
Amortization = Literal["equal_installments", "equal_principal"]
InterestPeriod = Literal["same_as_repayment", "daily"]
DaysInYear = Literal["actual", 360, 364, 365]
DaysInMonth = Literal["actual", 30]

FREQUENCIES = ("days", "weeks", "months")
INTEREST_METHODS = ("flat", "declining")
AMORTIZATIONS = ("equal_installments", "equal_principal")
INTEREST_PERIODS = ("same_as_repayment", "daily")
DAYS_IN_YEAR = ("actual", 360, 364, 365)
DAYS_IN_MONTH = ("actual", 30)

MAX_INSTALLMENTS = 1000
MAX_DIGITS = 6
MAX_PRINCIPAL = Decimal(10) ** 15

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_APR_QUANTUM = Decimal("0.01")


class ScheduleError(ValueError):
    """The terms cannot produce a schedule; the message says which term and why."""


@dataclass(frozen=True, slots=True)
class ScheduleTerms:
    """A loan's terms in Fineract's vocabulary (rates in percent, grace periods in instalments)."""

    principal: Decimal
    annual_rate: Decimal
    installments: int
    start_date: date
    frequency: Frequency = "months"
    repayment_every: int = 1
    interest_method: InterestMethod = "declining"
    amortization: Amortization = "equal_installments"
    interest_period: InterestPeriod = "same_as_repayment"
    days_in_year: DaysInYear = "actual"
    days_in_month: DaysInMonth = "actual"
    grace_principal: int = 0
    grace_interest_payment: int = 0
    digits: int = 2
    currency_multiples_of: int | None = None
    installment_multiples_of: int | None = None
    disbursement_fee_flat: Decimal = _ZERO
    disbursement_fee_percent: Decimal = _ZERO


@dataclass(frozen=True, slots=True)
class Installment:
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    fees: Decimal
    total: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Schedule:
    terms: ScheduleTerms
    installments: tuple[Installment, ...]
    disbursement_fees: Decimal
    total_principal: Decimal
    total_interest: Decimal
    total_fees: Decimal
    total_repayment: Decimal
    apr: Decimal


def build_schedule(terms: ScheduleTerms) -> Schedule:
    """Compute the repayment schedule for `terms`; raise `ScheduleError` if the terms are invalid."""
    _validate(terms)
    return _Builder(terms).build()


# --- validation ---------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(t: ScheduleTerms) -> None:
    for name in ("principal", "annual_rate", "disbursement_fee_flat", "disbursement_fee_percent"):
        value = getattr(t, name)
        if not isinstance(value, Decimal):
            raise ScheduleError(f"{name} must be a Decimal, not {type(value).__name__}")
        if not value.is_finite():
            raise ScheduleError(f"{name} must be a finite number")
    if not isinstance(t.start_date, date):
        raise ScheduleError("start_date must be a date")
    if not _is_int(t.digits) or not 0 <= t.digits <= MAX_DIGITS:
        raise ScheduleError(f"digits must be a whole number from 0 to {MAX_DIGITS}")
    if t.principal <= 0:
        raise ScheduleError("principal must be greater than zero")
    if t.principal >= MAX_PRINCIPAL:
        raise ScheduleError(f"principal must be less than {MAX_PRINCIPAL:,}")
    if t.principal != t.principal.quantize(_ONE.scaleb(-t.digits)):
        raise ScheduleError(f"principal {t.principal} has more than {t.digits} decimal digits")
    if t.annual_rate < 0:
        raise ScheduleError("annual_rate must not be negative")
    if t.annual_rate > 1000:
        raise ScheduleError("annual_rate must not exceed 1000 %")
    if not _is_int(t.installments) or not 1 <= t.installments <= MAX_INSTALLMENTS:
        raise ScheduleError(f"installments must be a whole number from 1 to {MAX_INSTALLMENTS}")
    if not _is_int(t.repayment_every) or t.repayment_every < 1:
        raise ScheduleError("repayment_every must be a whole number of at least 1")
    if t.frequency not in FREQUENCIES:
        raise ScheduleError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    if t.interest_method not in INTEREST_METHODS:
        raise ScheduleError(f"interest_method must be one of {', '.join(INTEREST_METHODS)}")
    if t.amortization not in AMORTIZATIONS:
        raise ScheduleError(f"amortization must be one of {', '.join(AMORTIZATIONS)}")
    if t.interest_period not in INTEREST_PERIODS:
        raise ScheduleError(f"interest_period must be one of {', '.join(INTEREST_PERIODS)}")
    if t.days_in_year not in DAYS_IN_YEAR or isinstance(t.days_in_year, bool):
        raise ScheduleError("days_in_year must be 'actual', 360, 364 or 365")
    if t.days_in_month not in DAYS_IN_MONTH or isinstance(t.days_in_month, bool):
        raise ScheduleError("days_in_month must be 'actual' or 30")
    for name in ("grace_principal", "grace_interest_payment"):
        value = getattr(t, name)
        if not _is_int(value) or value < 0:
            raise ScheduleError(f"{name} must be a whole number of at least 0")
        if value >= t.installments:
            raise ScheduleError(f"{name} must be less than the number of installments")
    for name in ("currency_multiples_of", "installment_multiples_of"):
        value = getattr(t, name)
        if value is not None and (not _is_int(value) or value < 1):
            raise ScheduleError(f"{name} must be a whole number of at least 1")
    if t.disbursement_fee_flat < 0 or t.disbursement_fee_percent < 0:
        raise ScheduleError("disbursement fees must not be negative")
    if t.disbursement_fee_percent >= 100:
        raise ScheduleError("disbursement_fee_percent must be less than 100")


# --- dates --------------------------------------------------------------------------------------------------


_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = start.day
    if day > 28:  # only then can the target month be too short; calendar.monthrange is slow in a hot loop
        length = 29 if month == 2 and calendar.isleap(year) else _MONTH_LENGTHS[month - 1]
        day = min(day, length)
    return date(year, month, day)


def due_dates(terms: ScheduleTerms) -> list[date]:
    """The due date of every instalment, counted from the start (disbursement) date."""
    start, every = terms.start_date, terms.repayment_every
    try:
        if terms.frequency == "months":
            return [_add_months(start, k * every) for k in range(1, terms.installments + 1)]
        step = timedelta(days=every * (7 if terms.frequency == "weeks" else 1))
        return [start + step * k for k in range(1, terms.installments + 1)]
    except (OverflowError, ValueError) as exc:
        raise ScheduleError("the schedule runs past the last representable date") from exc


# --- the schedule -------------------------------------------------------------------------------------------


class _Builder:
    """One schedule's working state; kept private so the public surface is `build_schedule`."""

    def __init__(self, terms: ScheduleTerms) -> None:
        self.t = terms
        self.quantum = _ONE.scaleb(-terms.digits)
        self.currency_multiple = Decimal(terms.currency_multiples_of) if terms.currency_multiples_of else None
        self.installment_multiple = Decimal(terms.installment_multiples_of) if terms.installment_multiples_of else None
        self.rate = terms.annual_rate / _HUNDRED
        self.dates = due_dates(terms)

    # rounding ---------------------------------------------------------------------------------------------

    def money(self, amount: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
        """Round to the currency: digits (HALF_EVEN), then the currency's multiple if it has one."""
        rounded = amount.quantize(self.quantum, rounding)
        if self.currency_multiple is not None:
            rounded = ((rounded / self.currency_multiple).quantize(_ONE, rounding) * self.currency_multiple).quantize(
                self.quantum
            )
        return rounded

    def to_installment_multiple(self, amount: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
        """Fineract's Money.roundToMultiplesOf: nearest multiple, ties up."""
        if self.installment_multiple is None:
            return amount
        multiple = self.installment_multiple
        return ((amount / multiple).quantize(_ONE, rounding) * multiple).quantize(self.quantum)

    def regular_share(self, total: Decimal, parts: int) -> Decimal:
        """total / parts rounded to the currency, but down if rounding up would overshoot before the last part.

        With coarse rounding (0 digits, currency in multiples of 100) a share rounded up can use up the total
        before the last part, leaving empty instalments or a negative remainder (flat interest); rounding that
        share down instead lets the last instalment absorb the difference.
        """
        share = self.money(total / parts)
        if parts > 1 and share * (parts - 1) >= total:
            share = self.money(total / parts, ROUND_DOWN)
        return share

    # rates ------------------------------------------------------------------------------------------------

    def days_in_year(self) -> int:
        return 365 if self.t.days_in_year == "actual" else int(self.t.days_in_year)

    def period_rates(self) -> list[Decimal]:
        """The periodic interest rate (a fraction) of every instalment period."""
        t = self.t
        n = t.installments
        if self.rate == 0:
            return [_ZERO] * n
        if t.interest_period == "same_as_repayment":
            per_year = {"months": 12, "weeks": 52, "days": self.days_in_year()}[t.frequency]
            return [self.rate / per_year * t.repayment_every] * n
        per_day = self.rate / self.days_in_year()
        if t.frequency == "months" and t.days_in_month == 30:
            return [per_day * (30 * t.repayment_every)] * n
        starts = [t.start_date, *self.dates[:-1]]
        return [per_day * (end - begin).days for begin, end in zip(starts, self.dates, strict=True)]

    # amounts ----------------------------------------------------------------------------------------------

    def build(self) -> Schedule:
        t = self.t
        n, repaying = t.installments, t.installments - t.grace_principal
        principal = t.principal.quantize(self.quantum)
        rates = self.period_rates()

        # emi is the fixed instalment of declining equal instalments; otherwise principal is a fixed share.
        emi: Decimal | None = None
        fixed_principal = flat_interest = flat_total = _ZERO
        if t.interest_method == "declining":
            if t.amortization == "equal_installments":
                emi = self.to_installment_multiple(self.money(_pmt(rates[0], repaying, principal)))
            else:
                fixed_principal = self.regular_share(principal, repaying)
        else:
            flat_total = self.money(principal * sum(rates, _ZERO))
            flat_interest = self.regular_share(flat_total, n)
            fixed_principal = self.regular_share(principal, repaying)
            if t.amortization == "equal_installments" and self.installment_multiple is not None:
                fixed_principal = self.to_installment_multiple(fixed_principal + flat_interest) - flat_interest
        if (emi if emi is not None else fixed_principal) <= 0:
            raise ScheduleError(
                "the regular instalment rounds to zero: use fewer installments, more digits "
                "or a smaller currency_multiples_of / installment_multiples_of"
            )

        rows, repaid_early = self.rows(principal, rates, emi, fixed_principal, flat_interest, flat_total)
        if repaid_early and t.amortization == "equal_installments":
            # Rounding the instalment to the nearest multiple (as Fineract does) can overshoot so far that the
            # loan is repaid before its last instalment; refuse rather than show empty instalments.
            regular = emi if emi is not None else fixed_principal + flat_interest
            raise ScheduleError(
                f"rounding makes the instalment {regular}, which repays the loan before its last instalment: "
                "use a smaller installment_multiples_of / currency_multiples_of or fewer installments"
            )

        total_interest = sum((row.interest for row in rows), _ZERO.quantize(self.quantum))
        disbursement_fees = self.money(t.disbursement_fee_flat + principal * t.disbursement_fee_percent / _HUNDRED)
        if disbursement_fees >= principal:
            raise ScheduleError("disbursement fees must be less than the principal")
        total_fees = disbursement_fees  # instalments carry no fees of their own yet
        return Schedule(
            terms=t,
            installments=tuple(rows),
            disbursement_fees=disbursement_fees,
            total_principal=principal,
            total_interest=total_interest,
            total_fees=total_fees,
            total_repayment=principal + total_interest + total_fees,
            apr=_apr(principal - disbursement_fees, [row.total for row in rows], self.periods_per_year()),
        )

    def rows(
        self,
        principal: Decimal,
        rates: list[Decimal],
        emi: Decimal | None,
        fixed_principal: Decimal,
        flat_interest: Decimal,
        flat_total: Decimal,
    ) -> tuple[list[Installment], bool]:
        """The instalments, and whether the principal ran out before the last one."""
        t = self.t
        n, grace_p, grace_i = t.installments, t.grace_principal, t.grace_interest_payment
        zero = _ZERO.quantize(self.quantum)
        declining = t.interest_method == "declining"
        balance = principal
        deferred = flat_accounted = zero
        repaid_early = False
        rows: list[Installment] = []
        for index in range(n):
            number = index + 1
            last = number == n
            if declining:
                period_interest = self.money(balance * rates[index])
            elif last:
                period_interest = flat_total - flat_accounted
            else:
                period_interest = flat_interest
                flat_accounted += period_interest

            if number <= grace_i:
                deferred += period_interest
                interest = zero
            else:
                interest = period_interest + deferred
                deferred = zero

            if number <= grace_p:
                principal_due = zero
            elif last:
                principal_due = balance
            else:
                due = emi - period_interest if emi is not None else fixed_principal
                if due >= balance:
                    due, repaid_early = balance, True
                principal_due = max(due, zero)
            balance -= principal_due
            rows.append(
                Installment(
                    number=number,
                    due_date=self.dates[index],
                    principal=principal_due,
                    interest=interest,
                    fees=zero,
                    total=principal_due + interest,
                    balance=balance,
                )
            )
        return rows, repaid_early

    def periods_per_year(self) -> float:
        t = self.t
        return {"months": 12.0, "weeks": 52.0, "days": 365.0}[t.frequency] / t.repayment_every


def _pmt(rate: Decimal, periods: int, principal: Decimal) -> Decimal:
    """The annuity instalment repaying `principal` over `periods` at `rate` per period."""
    if rate == 0:
        return principal / periods
    growth = (_ONE + rate) ** periods
    return principal * rate * growth / (growth - _ONE)


def _apr(received: Decimal, payments: list[Decimal], periods_per_year: float) -> Decimal:
    """Effective annual rate in percent: (1 + periodic IRR) ** periods_per_year - 1.

    The payments are never negative and sum to at least `received`, so the net present value is convex and
    falling in the rate and non-negative at rate 0: Newton's method started at 0 climbs to the root from the
    left without overshooting.
    """
    net = float(received)
    flows = [float(p) for p in payments]
    if sum(flows) - net <= 1e-12 * net:
        return _ZERO.quantize(_APR_QUANTUM)
    rate = 0.0
    for _ in range(100):
        factor = 1.0 / (1.0 + rate)
        discount, value, slope = 1.0, -net, 0.0
        for k, flow in enumerate(flows, start=1):
            discount *= factor
            value += flow * discount
            slope -= k * flow * discount * factor
        step = value / slope
        rate -= step
        if abs(step) < 1e-12 or rate > 1e6:  # 1e-12 a period is far below the 0.01 % reported
            break
    try:
        annual = (math.pow(1.0 + rate, periods_per_year) - 1.0) * 100.0
        return Decimal(repr(annual)).quantize(_APR_QUANTUM, ROUND_HALF_EVEN)
    except (OverflowError, InvalidOperation) as exc:
        raise ScheduleError("the APR is out of range") from exc
