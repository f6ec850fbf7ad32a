"""Properties every schedule keeps, whatever the terms (hypothesis)."""

from datetime import date
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loans.engine import ScheduleError, ScheduleTerms, build_schedule

# A schedule takes well under a millisecond, but a busy CI machine should not turn that into a flaky deadline.
no_deadline = settings(deadline=None)


@st.composite
def terms(draw, **fixed) -> ScheduleTerms:
    digits = draw(st.integers(0, 3))
    installments = draw(st.integers(1, 48))
    values = {
        "digits": digits,
        "principal": Decimal(draw(st.integers(1, 10**9))).scaleb(-digits),
        "annual_rate": Decimal(draw(st.integers(0, 9_999))).scaleb(-2),
        "installments": installments,
        "start_date": draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))),
        "frequency": draw(st.sampled_from(["days", "weeks", "months"])),
        "repayment_every": draw(st.integers(1, 4)),
        "interest_method": draw(st.sampled_from(["flat", "declining"])),
        "amortization": draw(st.sampled_from(["equal_installments", "equal_principal"])),
        "interest_period": draw(st.sampled_from(["same_as_repayment", "daily"])),
        "days_in_year": draw(st.sampled_from(["actual", 360, 364, 365])),
        "days_in_month": draw(st.sampled_from(["actual", 30])),
        "grace_principal": draw(st.integers(0, installments - 1)),
        "grace_interest_payment": draw(st.integers(0, installments - 1)),
        "currency_multiples_of": draw(st.sampled_from([None, None, 5, 100])),
        "installment_multiples_of": draw(st.sampled_from([None, None, 1, 100, 1000])),
        "disbursement_fee_flat": Decimal(0),
        "disbursement_fee_percent": Decimal(draw(st.integers(0, 500))).scaleb(-2),
    }
    values.update(fixed)
    return ScheduleTerms(**values)


def schedule_or_reject(t: ScheduleTerms):
    try:
        return build_schedule(t)
    except ScheduleError as exc:
        # Only rounding too coarse for the loan is an acceptable refusal of generated terms.
        assert "rounds to zero" in str(exc) or "repays the loan before its last instalment" in str(exc)
        assume(False)


@no_deadline
@given(terms())
def test_principal_sums_exactly_to_the_amount(t):
    schedule = schedule_or_reject(t)

    assert sum(i.principal for i in schedule.installments) == t.principal
    assert schedule.installments[-1].balance == 0


@no_deadline
@given(terms())
def test_balance_never_negative_and_never_rises(t):
    schedule = schedule_or_reject(t)
    balances = [t.principal] + [i.balance for i in schedule.installments]

    assert all(b >= 0 for b in balances)
    assert all(later <= earlier for earlier, later in zip(balances, balances[1:], strict=False))
    assert all(i.principal >= 0 and i.interest >= 0 and i.fees >= 0 for i in schedule.installments)


@no_deadline
@given(terms())
def test_totals_are_consistent(t):
    schedule = schedule_or_reject(t)
    rows = schedule.installments

    assert all(i.total == i.principal + i.interest + i.fees for i in rows)
    assert schedule.total_interest == sum(i.interest for i in rows)
    assert schedule.total_principal == t.principal
    assert schedule.total_repayment == schedule.total_principal + schedule.total_interest + schedule.total_fees
    assert schedule.total_repayment == sum(i.total for i in rows) + schedule.disbursement_fees
    assert [i.number for i in rows] == list(range(1, t.installments + 1))
    assert all(a.due_date < b.due_date for a, b in zip(rows, rows[1:], strict=False))
    assert rows[0].due_date > t.start_date


@no_deadline
@given(terms())
def test_amounts_carry_the_currency_digits(t):
    schedule = schedule_or_reject(t)
    exponent = -t.digits

    for row in schedule.installments:
        for amount in (row.principal, row.interest, row.fees, row.total, row.balance):
            assert amount.as_tuple().exponent == exponent


@no_deadline
@given(
    terms(amortization="equal_installments", grace_principal=0, grace_interest_payment=0, installment_multiples_of=None)
)
def test_equal_installment_totals_differ_by_at_most_the_rounding_unit_except_the_last(t):
    schedule = schedule_or_reject(t)
    totals = [i.total for i in schedule.installments[:-1]]
    unit = Decimal(t.currency_multiples_of or 1) * Decimal(1).scaleb(-t.digits)

    assume(totals)
    assert max(totals) - min(totals) <= unit


@no_deadline
@given(terms(grace_principal=0))
def test_principal_grace_repays_no_principal(t):
    grace = min(t.installments - 1, 3)
    schedule = schedule_or_reject(ScheduleTerms(**{**_fields(t), "grace_principal": grace}))

    assert all(i.principal == 0 for i in schedule.installments[:grace])


@no_deadline
@given(terms(grace_interest_payment=0), st.integers(1, 47))
def test_interest_grace_defers_interest_and_never_waives_it(t, grace):
    assume(grace < t.installments)
    without = schedule_or_reject(t)
    deferred = schedule_or_reject(ScheduleTerms(**{**_fields(t), "grace_interest_payment": grace}))

    assert deferred.total_interest == without.total_interest
    assert all(i.interest == 0 for i in deferred.installments[:grace])
    assert deferred.installments[grace].interest == sum(i.interest for i in without.installments[: grace + 1])
    assert [i.principal for i in deferred.installments] == [i.principal for i in without.installments]


@no_deadline
@given(terms(annual_rate=Decimal(0), disbursement_fee_percent=Decimal(0)))
def test_zero_rate_costs_nothing(t):
    schedule = schedule_or_reject(t)

    assert schedule.total_interest == 0
    assert schedule.total_repayment == t.principal
    assert schedule.apr == 0


@no_deadline
@given(terms(disbursement_fee_percent=Decimal(0)), st.integers(1, 500))
def test_a_disbursement_fee_never_lowers_the_apr(t, fee_basis_points):
    without = schedule_or_reject(t)
    fee = ScheduleTerms(**{**_fields(t), "disbursement_fee_percent": Decimal(fee_basis_points).scaleb(-2)})
    with_fee = schedule_or_reject(fee)

    assert with_fee.apr >= without.apr >= 0


@settings(max_examples=50, deadline=None)
@given(
    terms(
        interest_method="declining",
        amortization="equal_installments",
        interest_period="same_as_repayment",
        frequency="months",
        repayment_every=1,
        grace_principal=0,
        grace_interest_payment=0,
        disbursement_fee_percent=Decimal(0),
        currency_multiples_of=None,
        installment_multiples_of=None,
        digits=2,
        principal=Decimal(1_000_000),
        installments=24,
    )
)
def test_apr_of_a_plain_annuity_is_the_compounded_nominal_rate(t):
    schedule = schedule_or_reject(t)
    monthly = t.annual_rate / 1200
    expected = ((1 + monthly) ** 12 - 1) * 100

    assert abs(schedule.apr - expected) <= Decimal("0.02")


def _fields(t: ScheduleTerms) -> dict:
    return {name: getattr(t, name) for name in ScheduleTerms.__dataclass_fields__}
