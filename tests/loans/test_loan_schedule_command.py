"""`manage.py loan_schedule`: Fineract-named options in, a schedule out (JSON or a table). No database."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

RS01_ARGS = [
    "--principal=5000",
    "--annual-rate=12",
    "--installments=18",
    "--frequency=months",
    "--repayment-every=1",
    "--interest-method=flat",
    "--amortization=equal-installments",
    "--start-date=2022-11-01",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("loan_schedule", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_json_has_the_specified_shape_with_amounts_as_strings():
    result = run_json(*RS01_ARGS)

    assert set(result) == {"installments", "total_interest", "total_repayment", "apr"}
    first = result["installments"][0]
    assert first == {
        "number": 1,
        "due_date": "2022-12-01",
        "principal": "277.78",
        "interest": "50.00",
        "fees": "0.00",
        "total": "327.78",
        "balance": "4722.22",
    }
    assert len(result["installments"]) == 18
    assert result["installments"][-1]["due_date"] == "2024-05-01"
    assert result["installments"][-1]["principal"] == "277.74"
    assert result["installments"][-1]["balance"] == "0.00"
    assert result["total_interest"] == "900.00"
    assert result["total_repayment"] == "5900.00"
    assert isinstance(result["apr"], str)


def test_installment_multiples_of_reproduces_fineract_rs01():
    result = run_json(*RS01_ARGS, "--installment-multiples-of=1")

    assert [row["total"] for row in result["installments"]] == ["328.00"] * 17 + ["324.00"]
    assert result["installments"][-1]["principal"] == "274.00"


def test_zero_multiples_mean_no_rounding_as_in_fineract():
    assert run_json(*RS01_ARGS, "--installment-multiples-of=0", "--currency-multiples-of=0") == run_json(*RS01_ARGS)


def test_fineract_rs07_grace_options():
    # Fineract LoanRepayment.feature C2497 (RS07): grace on principal 6, interest payment deferred 3 instalments.
    args = [arg.replace("flat", "declining") for arg in RS01_ARGS]
    result = run_json(*args, "--installment-multiples-of=1", "--grace-principal=6", "--grace-interest-payment=3")

    interest = [row["interest"] for row in result["installments"]]
    assert interest[:7] == ["0.00", "0.00", "0.00", "200.00", "50.00", "50.00", "50.00"]
    assert result["installments"][6]["total"] == "444.00"
    assert result["installments"][-1]["total"] == "447.09"
    assert result["total_interest"] == "631.09"


def test_daily_interest_with_360_days_and_30_day_months():
    result = run_json(
        "--principal=1200",
        "--annual-rate=12",
        "--installments=12",
        "--frequency=months",
        "--interest-method=declining",
        "--amortization=equal-principal",
        "--start-date=2024-01-31",
        "--interest-period=daily",
        "--days-in-year=360",
        "--days-in-month=30",
    )

    assert [row["interest"] for row in result["installments"]][:3] == ["12.00", "11.00", "10.00"]
    assert result["installments"][0]["due_date"] == "2024-02-29"


def test_weekly_zero_digits_and_multiples():
    result = run_json(
        "--principal=1000000",
        "--annual-rate=26",
        "--installments=10",
        "--frequency=weeks",
        "--repayment-every=2",
        "--interest-method=declining",
        "--amortization=equal-installments",
        "--start-date=2024-03-04",
        "--digits=0",
        "--currency-multiples-of=100",
        "--installment-multiples-of=1000",
    )

    assert result["installments"][0]["due_date"] == "2024-03-18"
    assert result["installments"][0]["interest"] == "10000"  # 26 % / 52 x 2 = 1 %
    assert {row["total"] for row in result["installments"][:-1]} == {"106000"}  # PMT 105,582.08 -> 106,000
    assert sum(int(row["principal"]) for row in result["installments"]) == 1_000_000


def test_table_output_lists_every_installment_and_the_apr():
    out = run(*RS01_ARGS)

    lines = out.splitlines()
    assert lines[0].split() == ["#", "Due", "date", "Principal", "Interest", "Fees", "Total", "Balance"]
    assert lines[2].split() == ["1", "2022-12-01", "277.78", "50.00", "0.00", "327.78", "4722.22"]
    assert "Total repayment: 5900.00" in out
    assert "APR (effective annual rate):" in out


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("--frequency=years", "invalid choice"),
        ("--interest-method=compound", "invalid choice"),
        ("--amortization=balloon", "invalid choice"),
        ("--days-in-year=366", "invalid choice"),
        ("--days-in-month=31", "invalid choice"),
        ("--interest-period=weekly", "invalid choice"),
        ("--principal=lots", "not a number"),
        ("--principal=NaN", "not a finite number"),
        ("--installments=0", "must be at least 1"),
        ("--installments=1.5", "not a whole number"),
        ("--start-date=01/11/2022", "not a date"),
        ("--repayment-every=0", "must be at least 1"),
        ("--installment-multiples-of=-1", "must be at least 0"),
    ],
)
def test_bad_arguments_are_rejected_with_a_message(bad, message):
    option = bad.split("=")[0]
    args = [arg for arg in RS01_ARGS if not arg.startswith(option + "=")] + [bad]

    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("--grace-principal=18", "^--grace-principal must be less than the number of installments$"),
        ("--annual-rate=-1", "^--annual-rate must not be negative$"),
        ("--principal=0", "^--principal must be greater than zero$"),
        ("--principal=10.001", "^--principal 10.001 has more than 2 decimal digits$"),
        ("--installment-multiples-of=100000", "a smaller --currency-multiples-of / --installment-multiples-of$"),
    ],
)
def test_terms_the_engine_refuses_are_a_command_error(extra, message):
    option = extra.split("=")[0]
    args = [arg for arg in RS01_ARGS if not arg.startswith(option + "=")] + [extra]

    with pytest.raises(CommandError, match=message):
        run(*args)


def test_missing_required_argument_is_an_error():
    with pytest.raises(CommandError, match="required"):
        run(*RS01_ARGS[1:])
