"""Every portfolio figure on a hand-built portfolio, with the arithmetic in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loans.models import Loan
from portfolio.figures import compute, loan_table, portfolio_figures
from tests.portfolio.portfolio_world import portfolio_world

pytestmark = pytest.mark.django_db

JAN1, MAY31, MAR31 = date(2026, 1, 1), date(2026, 5, 31), date(2026, 3, 31)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        # Built once for the module inside a transaction that is rolled back at the end.
        atomic = transaction.atomic()
        atomic.__enter__()
        built = portfolio_world()
        yield built
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def figures(as_of, period_from=JAN1):
    return portfolio_figures(Loan.objects.all(), as_of=as_of, period_from=period_from)


def test_outstanding_principal_at_the_end_of_may(world):
    # A 6000 − 4×1000 = 2000; B 6000 − 2×1000 = 4000; C 12000 (never paid); D written off (0);
    # E paid out after 31 May (0). Total 18000.
    assert figures(MAY31).outstanding == Decimal("18000.00")


def test_outstanding_principal_at_the_end_of_march(world):
    # A 6000 − 2000 = 4000; B 6000 − 1000 = 5000 (the 25 April payment is later); C 12000;
    # D 6000 − 500 = 5500 (written off only on 30 April). Total 26500.
    assert figures(MAR31).outstanding == Decimal("26500.00")


def test_par30_and_par90_weighted_by_balance_at_the_end_of_may(world):
    f = figures(MAY31)
    # More than 30 days overdue at 31 May: due before 1 May and not paid by 31 May.
    # B: 15 April unpaid → at risk, 4000. C: 1 March and 1 April unpaid → at risk, 12000. A is current.
    # PAR30 = (4000 + 12000) / 18000 = 88.89 %.
    assert f.par30_amount == Decimal("16000.00")
    assert f.par30 == Decimal("88.89")
    # More than 90 days: due before 2 March. Only C's 1 March instalment. PAR90 = 12000 / 18000 = 66.67 %.
    assert f.par90_amount == Decimal("12000.00")
    assert f.par90 == Decimal("66.67")


def test_par_at_the_end_of_march_counts_the_loan_not_yet_written_off(world):
    f = figures(MAR31)
    # Due before 1 March and short at 31 March: D's 15 February (500 of 1000 paid) → 5500 at risk.
    # C's first instalment (1 March) is not yet 30 days late. PAR30 = 5500 / 26500 = 20.75 %.
    assert f.par30_amount == Decimal("5500.00")
    assert f.par30 == Decimal("20.75")
    # Nothing was due before 31 December 2025: PAR90 = 0.
    assert f.par90 == Decimal("0.00")


def test_a_late_payment_stops_counting_once_made(world):
    # At 20 April B's March instalment is 36 days late (paid only on 25 April): B (5000) is at risk,
    # with D (5500, short since 15 February) and C (12000, 1 March unpaid, 50 days).
    # Outstanding at 20 April: A 3000 + B 5000 + C 12000 + D 5500 = 25500; PAR30 = 22500 / 25500 = 88.24 %.
    f = figures(date(2026, 4, 20))
    assert f.outstanding == Decimal("25500.00")
    assert f.par30_amount == Decimal("22500.00")
    assert f.par30 == Decimal("88.24")
    # At 26 April B's March instalment is paid; its April one is only 11 days late: B drops out.
    # Outstanding: A 3000 + B 4000 + C 12000 + D 5500 = 24500; at risk C + D = 17500 → 71.43 %.
    f = figures(date(2026, 4, 26))
    assert f.par30_amount == Decimal("17500.00")
    assert f.par30 == Decimal("71.43")


def test_repayment_rate_from_january_to_may(world):
    f = figures(MAY31)
    # Fell due 1 Jan – 31 May: A Feb–May 4000; B Feb–May 4000; C Mar–May 6000; D Feb–Apr 3000
    # (its 15 May instalment fell after the write-off on 30 April and is not counted). Total 17000.
    # Paid by the due date: A 4000; B 1000 (February; March was paid late); C 0; D 500. Total 5500.
    # Rate = 5500 / 17000 = 32.35 %.
    assert f.fell_due == Decimal("17000.00")
    assert f.paid_on_time == Decimal("5500.00")
    assert f.repayment_rate == Decimal("32.35")


def test_repayment_rate_of_a_period_with_nothing_due_is_none(world):
    assert figures(date(2026, 1, 31)).repayment_rate is None


def test_write_off_ratio(world):
    f = figures(MAY31)
    # Written off 1 Jan – 31 May: D's 5500. Outstanding on 31 Dec 2025: 0; on 31 May: 18000.
    # Average = (0 + 18000) / 2 = 9000; ratio = 5500 / 9000 = 61.11 %.
    assert f.written_off == Decimal("5500.00")
    assert f.average_outstanding == Decimal("9000.00")
    assert f.write_off_ratio == Decimal("61.11")
    # Before the write-off, nothing was written off.
    assert figures(MAR31).write_off_ratio == Decimal("0.00")


def test_disbursed_count_amount_and_average_size(world):
    f = figures(MAY31)
    # Paid out 1 Jan – 31 May: A, B, D (6000 each) and C (12000): 4 loans, 30000, average 7500.
    assert (f.disbursed_count, f.disbursed_amount, f.average_loan_size) == (4, Decimal("30000.00"), Decimal("7500.00"))
    # To 30 June E (6000) joins: 5 loans, 36000, average 7200.
    f = figures(date(2026, 6, 30))
    assert (f.disbursed_count, f.disbursed_amount, f.average_loan_size) == (5, Decimal("36000.00"), Decimal("7200.00"))
    # A period with no payouts has no average.
    assert figures(date(2026, 5, 31), period_from=date(2026, 3, 1)).average_loan_size is None


def test_breakdown_by_region(world):
    rows = compute(Loan.objects.all(), as_of=MAY31, period_from=JAN1, by="region")
    north, south = rows[world.north.pk], rows[world.south.pk]
    # North: A 2000 + B 4000 = 6000, at risk B 4000 → PAR30 66.67 %, PAR90 0.
    assert north.outstanding == Decimal("6000.00")
    assert north.par30 == Decimal("66.67")
    assert north.par90 == Decimal("0.00")
    # North's rate: due A 4000 + B 4000 + D 3000 = 11000; on time 4000 + 1000 + 500 = 5500 → 50.00 %.
    assert north.repayment_rate == Decimal("50.00")
    assert north.disbursed_count == 3
    # South: C alone, 12000, all at risk; nothing paid.
    assert south.outstanding == Decimal("12000.00")
    assert (south.par30, south.par90, south.repayment_rate) == (Decimal("100.00"), Decimal("100.00"), Decimal("0.00"))


def test_breakdown_by_product_and_adviser(world):
    by_product = compute(Loan.objects.all(), as_of=MAY31, period_from=JAN1, by="product")
    assert by_product[world.zero.pk].outstanding == Decimal("6000.00")
    assert by_product[world.growth.pk].outstanding == Decimal("12000.00")
    assert by_product[world.zero.pk].written_off == Decimal("5500.00")
    by_adviser = compute(Loan.objects.all(), as_of=MAY31, period_from=JAN1, by="adviser")
    assert by_adviser[world.adviser.pk].par30 == Decimal("66.67")
    assert by_adviser[world.south_adviser.pk].par30 == Decimal("100.00")


def test_an_empty_portfolio_has_zeros_and_no_ratios(world):
    f = portfolio_figures(Loan.objects.none(), as_of=MAY31, period_from=JAN1)
    assert f.outstanding == Decimal("0.00")
    assert (f.par30, f.repayment_rate, f.write_off_ratio, f.average_loan_size) == (None, None, None, None)


@pytest.mark.parametrize(
    ("as_of", "period_from"),
    [(MAR31, JAN1), (MAY31, JAN1), (date(2026, 6, 30), JAN1), (MAY31, date(2026, 3, 1)), (date(2026, 8, 31), MAR31)],
)
def test_every_figure_and_grouping_is_that_of_the_aggregate_sql_it_replaced(world, as_of, period_from):
    from .reference import reference_compute

    loans = Loan.objects.all()
    table = loan_table(loans, as_of=as_of, period_from=period_from)
    for by in (None, "region", "product", "adviser"):
        new = compute(loans, as_of=as_of, period_from=period_from, by=by, table=table)
        assert new == reference_compute(loans, as_of=as_of, period_from=period_from, by=by), by
