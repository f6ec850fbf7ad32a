"""The portfolio figures take the same number of queries for 3 loans as for 12."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans.models import Loan
from portfolio.figures import compute
from tests.loans.lending_world import lending_world
from tests.portfolio.portfolio_world import borrower_loan, interest_free, pay

pytestmark = pytest.mark.django_db

JAN1, MAY31 = date(2026, 1, 1), date(2026, 5, 31)


def _count_queries(loans) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(loans, as_of=MAY31, period_from=JAN1)
        compute(loans, as_of=MAY31, period_from=JAN1, by="region")
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
    # Four aggregate queries per computation, whole or grouped.
    assert three == twelve == 8
