"""The same repayment sent three times at once with one Idempotency-Key is recorded once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from loans.models import EntryKind, LedgerEntry

from .conftest import ApiClient, add_session_and_loan, make_token

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_one_key_sent_three_times_at_once_is_one_repayment(world):
    w = add_session_and_loan(world)
    secret = make_token(w.lead, w.programme)
    barrier = threading.Barrier(3)
    responses = []

    def send():
        try:
            client = ApiClient(secret)
            barrier.wait()
            responses.append(
                client.post(
                    f"/api/v1/loans/{w.loan.pk}/repayments",
                    {"amount": "700.00", "on": str(timezone.localdate()), "method": "bank transfer"},
                    HTTP_IDEMPOTENCY_KEY="same-key-at-once",
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert LedgerEntry.objects.filter(loan=w.loan, kind=EntryKind.REPAYMENT).count() == 1
