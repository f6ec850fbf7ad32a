"""Tokens for the shared world's people, and a client that sends them."""

from __future__ import annotations

import pytest
from django.test import Client

from api import services


def make_token(user, programme, scopes=("read", "write", "repayments"), days: int = 30) -> str:
    return services.token_create(
        by=None, programme=programme, user=user, name=f"test {user.email}", scopes=scopes, days=days, check_access=False
    ).secret


class ApiClient:
    """A test client that sends a token (or none) and JSON. Extra keyword arguments are WSGI environ
    entries (HTTP_IDEMPOTENCY_KEY=..., REMOTE_ADDR=...)."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.meta = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data, **{**self.meta, **extra})

    def post(self, path, payload=None, **extra):
        return self.client.post(path, payload or {}, content_type="application/json", **{**self.meta, **extra})

    def put(self, path, payload=None, **extra):
        return self.client.put(path, payload or {}, content_type="application/json", **{**self.meta, **extra})


@pytest.fixture
def api_as(world):
    """api_as(role, scopes=...) -> an ApiClient with a fresh token for that person of the world."""

    def make(role: str, scopes=("read", "write", "repayments")) -> ApiClient:
        return ApiClient(make_token(getattr(world, role), world.programme, scopes))

    return make


def add_session_and_loan(w):
    """A past group session of north with Amal's cohort, and an active loan on her case (paid out 40 days ago)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from coaching.session_models import Cohort, CohortMember, Session
    from loans import services as loan_services
    from loans.models import ApplicationStatus, Loan, LoanApplication, LoanProduct, LoanStatus

    today = timezone.localdate()
    w.cohort = Cohort.objects.create(region=w.north, name="Spring group", starts_on=today)
    CohortMember.objects.create(cohort=w.cohort, case=w.case)
    w.session = Session.objects.create(
        region=w.north,
        cohort=w.cohort,
        topic="Pricing",
        starts_at=timezone.now() - timedelta(days=1),
        place="Library",
        adviser=w.adviser,
        created_by=w.adviser,
    )
    w.south_session = Session.objects.create(
        region=w.south,
        topic="Marketing",
        starts_at=timezone.now() - timedelta(days=1),
        place="Town hall",
        adviser=w.other_adviser,
        created_by=w.other_adviser,
    )
    w.product = LoanProduct.objects.create(
        programme=w.programme,
        name="Start-up loan",
        min_amount=Decimal("5000"),
        max_amount=Decimal("100000"),
        annual_rate=Decimal("12"),
        min_term=3,
        max_term=36,
        frequency=LoanProduct.Frequency.MONTHLY,
        interest_method=LoanProduct.InterestMethod.DECLINING,
        amortization=LoanProduct.Amortization.EQUAL_INSTALLMENTS,
    )
    now = timezone.now()
    application = LoanApplication.objects.create(
        case=w.case,
        product=w.product,
        term=12,
        created_by=w.adviser,
        submitted_at=now,
        amount=Decimal("12000"),
        purpose="A sewing machine",
        assessment="Solid plan.",
        status=ApplicationStatus.APPROVED,
        decided_at=now,
        decided_by=w.committee,
    )
    loan = Loan.objects.create(
        application=application,
        case=w.case,
        product=w.product,
        currency="SEK",
        principal=Decimal("12000"),
        term=12,
        status=LoanStatus.ACCEPTED,
        accepted_at=now,
    )
    loan_services.loan_disburse(
        by=w.lead, loan_id=loan.pk, on=today - timedelta(days=40), method="bank transfer", reference="PAYOUT-1"
    )
    w.loan = Loan.objects.get(pk=loan.pk)
    return w


@pytest.fixture
def api_world(world):
    return add_session_and_loan(world)
