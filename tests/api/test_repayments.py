"""Recording a repayment through the API: the loan page's service, once per Idempotency-Key, money as strings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import IdempotencyKey
from loans import services as loan_services
from loans.models import EntryKind, LedgerEntry, Loan, LoanStatus

from .conftest import ApiClient, add_session_and_loan, make_token

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _pay(client, loan, key="pay-0001-abcdef", **body):
    payload = {"amount": "500.00", "on": str(TODAY()), "method": "bank transfer", **body}
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/v1/loans/{loan.pk}/repayments", payload, **extra)


def _repayments(loan) -> int:
    return LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).count()


@pytest.fixture
def lead(api_world):
    return ApiClient(make_token(api_world.lead, api_world.programme, scopes=["read", "repayments"]))


def test_a_repayment_is_split_over_the_instalments_and_answered_in_decimal_strings(api_world, lead):
    w = api_world
    owed_before = loan_services.ledger_balance(w.loan)["owed"]

    response = _pay(lead, w.loan, amount="1234.5")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "1234.50"
    parts = [Decimal(body[c]) for c in ("principal", "interest", "fee", "penalty", "credit")]
    assert all(isinstance(body[c], str) for c in ("amount", "principal", "interest", "credit"))
    assert sum(parts) == Decimal("1234.50")
    assert loan_services.ledger_balance(w.loan)["owed"] == owed_before - Decimal("1234.50")
    entry = LedgerEntry.objects.get(pk=body["id"])
    assert (entry.created_by, entry.method, entry.value_date) == (w.lead, "bank transfer", TODAY())


def test_a_retry_with_the_same_key_is_applied_once_and_answers_the_same(api_world, lead):
    w = api_world

    first = _pay(lead, w.loan, key="retry-me-123")
    second = _pay(lead, w.loan, key="retry-me-123")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert _repayments(w.loan) == 1


def test_the_same_key_with_another_body_is_refused_409(api_world, lead):
    w = api_world
    _pay(lead, w.loan, key="reused-key-1", amount="500.00")

    response = _pay(lead, w.loan, key="reused-key-1", amount="600.00")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert _repayments(w.loan) == 1


def test_two_keys_are_two_repayments(api_world, lead):
    w = api_world

    _pay(lead, w.loan, key="first-key-1")
    _pay(lead, w.loan, key="second-key-2")

    assert _repayments(w.loan) == 2


def test_keys_are_per_user(api_world, lead):
    """Another staff member's key with the same text is hers: it neither replays nor blocks the first's."""
    w = api_world
    manager = ApiClient(make_token(w.manager, w.programme, scopes=["repayments"]))

    a = _pay(lead, w.loan, key="shared-text-1")
    b = _pay(manager, w.loan, key="shared-text-1")

    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert _repayments(w.loan) == 2


@pytest.mark.parametrize(
    ("key", "body", "field"),
    [
        (None, {}, "Idempotency-Key"),
        ("short", {}, "Idempotency-Key"),
        ("good-key-0001", {"amount": 500}, "amount"),
        ("good-key-0002", {"amount": "5.001"}, "amount"),
        ("good-key-0003", {"amount": "0.00"}, "amount"),
        ("good-key-0004", {"on": str(TODAY() + timedelta(days=1))}, "on"),
        ("good-key-0005", {"method": "bitcoin"}, "method"),
    ],
)
def test_bad_input_is_422_with_the_field_and_records_nothing(api_world, lead, key, body, field):
    w = api_world

    response = _pay(lead, w.loan, key=key, **body)

    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert _repayments(w.loan) == 0
    assert not IdempotencyKey.objects.exists()


def test_a_refused_repayment_keeps_no_key_so_a_corrected_retry_goes_through(api_world, lead):
    w = api_world
    Loan.objects.filter(pk=w.loan.pk).update(status=LoanStatus.ACCEPTED)

    refused = _pay(lead, w.loan, key="after-fix-01")
    Loan.objects.filter(pk=w.loan.pk).update(status=LoanStatus.ACTIVE)
    retried = _pay(lead, w.loan, key="after-fix-01")

    assert refused.status_code == 409
    assert refused.json()["code"] == "refused"
    assert retried.status_code == 201
    assert _repayments(w.loan) == 1


def test_a_bank_reference_already_recorded_is_applied_once(api_world, lead):
    w = api_world

    first = _pay(lead, w.loan, key="ref-key-0001", reference="BANK-77")
    again = _pay(lead, w.loan, key="ref-key-0002", reference="BANK-77")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert _repayments(w.loan) == 1


def test_a_reference_recorded_on_another_loan_is_not_answered_with_that_payment(api_world, lead):
    """The service answers a known reference with the payment it already recorded; the API must not hand
    over another loan's payment."""
    w = api_world
    other = add_session_and_loan(_second_world(w))
    loan_services.repayment_record(
        by=other.lead, loan_id=other.loan.pk, amount=Decimal("100"), on=TODAY(), external_reference="BANK-99"
    )

    response = _pay(lead, w.loan, key="ref-key-0003", reference="BANK-99")

    assert response.status_code == 409
    assert response.json()["code"] == "reference_used"
    assert _repayments(w.loan) == 0


def _second_world(w):
    from types import SimpleNamespace

    from coaching.models import Stage
    from neem.models import Role
    from tests.conftest import staff
    from tests.factories import CaseFileFactory, ProgrammeFactory, RegionFactory

    programme = ProgrammeFactory()
    north = RegionFactory(programme=programme)
    south = RegionFactory(programme=programme)
    x = SimpleNamespace(programme=programme, north=north, south=south)
    x.adviser = staff(Role.ADVISER, programme=programme, region=north)
    x.other_adviser = staff(Role.ADVISER, programme=programme, region=south)
    x.lead = staff(Role.REGION_LEAD, programme=programme, region=north)
    x.committee = staff(Role.COMMITTEE, programme=programme)
    x.case = CaseFileFactory(region=north, adviser=x.adviser, state=Stage.COACHING)
    return x


def test_the_schedule_shows_the_payment(api_world, lead):
    w = api_world
    before = lead.get(f"/api/v1/loans/{w.loan.pk}/schedule").json()

    _pay(lead, w.loan, amount="500.00")
    after = lead.get(f"/api/v1/loans/{w.loan.pk}/schedule").json()

    assert Decimal(before["outstanding"]) - Decimal(after["outstanding"]) == Decimal("500.00")
    assert after["instalments"][0]["total_paid"] == "500.00"
    assert len(after["instalments"]) == 12


def test_the_daily_run_forgets_old_keys_only(api_world, lead):
    from django.core.management import call_command

    w = api_world
    _pay(lead, w.loan, key="old-key-0001")
    _pay(lead, w.loan, key="new-key-0001")
    IdempotencyKey.objects.filter(key="old-key-0001").update(created_at=timezone.now() - timedelta(days=31))

    call_command("daily", as_of=str(TODAY()))
    call_command("daily", as_of=str(TODAY()))

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key-0001"]
