"""The figures take as many queries for 3 loans as for 12; a reversed repayment is no longer on time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans import services
from loans.models import Loan
from portfolio.figures import compute, loan_table, portfolio_figures
from tests.loans.lending_world import lending_world
from tests.portfolio.portfolio_world import borrower_loan, interest_free, pay

pytestmark = pytest.mark.django_db

JAN1, MAY31 = date(2026, 1, 1), date(2026, 5, 31)


def _count_queries(loans) -> int:
    with CaptureQueriesContext(connection) as ctx:
        table = loan_table(loans, as_of=MAY31, period_from=JAN1)
        for by in (None, "region", "product", "adviser"):
            compute(loans, as_of=MAY31, period_from=JAN1, by=by, table=table)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_loans():
    world = lending_world()
    zero = interest_free(world)
    loans = []
    for i in range(12):
        loan = borrower_loan(world, key=f"q{i}", on=date(2026, 1, 15), product_obj=zero)
        pay(world, loan, "1000", date(2026, 2, 15))
        loans.append(loan.pk)
    three = _count_queries(Loan.objects.filter(pk__in=loans[:3]))
    twelve = _count_queries(Loan.objects.filter(pk__in=loans))
    # Five queries read every loan's sums once (the loans, the ledger, the late loans, what fell due, what was paid);
    # the whole and every grouping sum them. (It was four per computation, plus two on PostgreSQL for the late loans.)
    assert three == twelve == 5


def test_the_portfolio_page_takes_the_same_queries_for_one_loan_as_for_three(client, django_assert_max_num_queries):
    from django.urls import reverse

    world = lending_world()
    zero = interest_free(world)
    client.force_login(world.manager)
    url = reverse("portfolio:portfolio")
    borrower_loan(world, key="p0", on=date(2026, 1, 15), product_obj=zero)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"as_of": "2026-05-31"}).status_code == 200
    for i in (1, 2):
        borrower_loan(world, key=f"p{i}", on=date(2026, 1, 15), product_obj=zero, adviser=world.adviser2)
    with CaptureQueriesContext(connection) as three:
        client.get(url, {"as_of": "2026-05-31"})
    assert len(one.captured_queries) == len(three.captured_queries)


def test_a_reversed_on_time_payment_is_no_longer_paid_on_time():
    world = lending_world()
    loan = borrower_loan(world, key="rita", on=date(2026, 1, 15), product_obj=interest_free(world))
    entry = pay(world, loan, "1000", date(2026, 2, 15))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 3, 10)):
        services.repayment_reverse(by=world.lead, entry_id=entry.pk, reason="Bounced")
    # Before the reversal (28 February): 1000 fell due, 1000 paid on time → 100 %.
    assert portfolio_figures(Loan.objects.all(), as_of=date(2026, 2, 28), period_from=JAN1).repayment_rate == Decimal(
        "100.00"
    )
    # After it (31 March): 2000 fell due (15 Feb, 15 Mar), nothing paid → 0 %; and the loan is short
    # since 15 February, 44 days: PAR30 = 6000 / 6000.
    after = portfolio_figures(Loan.objects.all(), as_of=date(2026, 3, 31), period_from=JAN1)
    assert (after.fell_due, after.paid_on_time, after.repayment_rate) == (
        Decimal("2000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert after.par30 == Decimal("100.00")
    # And every figure is that of the aggregate SQL the loans' table replaced (a correlated EXISTS per allocation).
    from .reference import reference_compute

    for as_of in (date(2026, 2, 28), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 31)):
        for by in (None, "region", "adviser"):
            new = compute(Loan.objects.all(), as_of=as_of, period_from=JAN1, by=by)
            assert new == reference_compute(Loan.objects.all(), as_of=as_of, period_from=JAN1, by=by), (as_of, by)
