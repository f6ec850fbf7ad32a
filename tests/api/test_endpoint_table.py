"""Every API endpoint x every role's token: the status each gets. The API's half of the URL x role matrix
(there a logged-in browser gets 401; here each person calls with a token of her own, all scopes).

Participants, committee members, mentors and editors cannot hold a token at all (test_auth.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_url_role_matrix import API_ENDPOINTS

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

TOKEN_ROLES = ["adviser", "colleague", "other_adviser", "lead", "manager", "administrator"]


def expect(default: int, **exceptions: int) -> dict[str, int]:
    return {role: exceptions.get(role, default) for role in TOKEN_ROLES}


# Amal's case is in north, assigned to `adviser`; `colleague` is north's other adviser, `other_adviser` south's.
NORTH_READERS = expect(200, other_adviser=404)

CALLS = {
    "participant_list": ("get", lambda w: reverse("api:v1:participant_list"), None, expect(200)),
    "participant_detail": (
        "get",
        lambda w: reverse("api:v1:participant_detail", args=[w.case.participant_id]),
        None,
        NORTH_READERS,
    ),
    "case_list": ("get", lambda w: reverse("api:v1:case_list"), None, expect(200)),
    "case_detail": ("get", lambda w: reverse("api:v1:case_detail", args=[w.case.pk]), None, NORTH_READERS),
    # The same as the case page's buttons: the assigned adviser and the region lead.
    "case_transition": (
        "post",
        lambda w: reverse("api:v1:case_transition", args=[w.case.pk]),
        lambda w: {"transition": "withdraw", "reason": "other", "expected_state": "coaching"},
        expect(403, adviser=200, lead=200, other_adviser=404),
    ),
    # The "Register a participant" page: advisers and leads in their regions, managers; south's adviser
    # cannot choose north (a field error), the administrator registers no one.
    "case_create": (
        "post",
        lambda w: reverse("api:v1:case_create"),
        lambda w: {
            "region_id": w.north.pk,
            "consent": True,
            "participant": {"first_name": "Hanan", "last_name": "Omar", "email": "hanan@example.net"},
        },
        expect(201, other_adviser=422, administrator=403),
    ),
    "session_list": ("get", lambda w: reverse("api:v1:session_list"), None, expect(200)),
    # Planning a session: the region's advisers and lead, or a manager; south's adviser cannot choose north.
    "session_create": (
        "post",
        lambda w: reverse("api:v1:session_create"),
        lambda w: {
            "region_id": w.north.pk,
            "topic": "Bookkeeping",
            "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
            "place": "Library",
            "cohort_id": w.cohort.pk,
            "adviser_id": w.colleague.pk,
        },
        expect(201, other_adviser=422, administrator=403),
    ),
    "session_detail": ("get", lambda w: reverse("api:v1:session_detail", args=[w.session.pk]), None, NORTH_READERS),
    # Attendance: the region's advisers and lead, or a manager; the administrator reads but does not take it.
    "session_attendance": (
        "put",
        lambda w: reverse("api:v1:session_attendance", args=[w.session.pk]),
        lambda w: {"marks": [{"case_id": w.case.pk, "status": "present"}]},
        expect(200, other_adviser=404, administrator=403),
    ),
    "loan_list": ("get", lambda w: reverse("api:v1:loan_list"), None, expect(200)),
    "loan_detail": ("get", lambda w: reverse("api:v1:loan_detail", args=[w.loan.pk]), None, NORTH_READERS),
    "loan_schedule": ("get", lambda w: reverse("api:v1:loan_schedule", args=[w.loan.pk]), None, NORTH_READERS),
    # As the loan page's "Record a repayment": the case's adviser, the region lead, the manager.
    "repayment_create": (
        "post",
        lambda w: reverse("api:v1:repayment_create", args=[w.loan.pk]),
        lambda w: {"amount": "100.00", "on": str(timezone.localdate()), "method": "cash"},
        expect(403, adviser=201, lead=201, manager=201, other_adviser=404),
    ),
    # As the outcomes dashboard: managers, advisers and leads (their regions); not the administrator.
    "indicator_list": ("get", lambda w: reverse("api:v1:indicator_list"), None, expect(200, administrator=403)),
}


def test_every_endpoint_has_a_row():
    assert set(CALLS) == {*API_ENDPOINTS, "session_attendance"}


@pytest.mark.parametrize("role", TOKEN_ROLES)
@pytest.mark.parametrize("endpoint", sorted(CALLS))
def test_endpoint_as_role(api_world, endpoint, role):
    w = api_world
    method, url, body, expected = CALLS[endpoint]
    client = ApiClient(make_token(getattr(w, role), w.programme))
    extra = {"HTTP_IDEMPOTENCY_KEY": f"table-{endpoint}-{role}"} if endpoint == "repayment_create" else {}

    if method == "get":
        response = client.get(url(w))
    else:
        response = getattr(client, method)(url(w), body(w), **extra)

    assert response.status_code == expected[role], f"{role} {method} {url(w)}: {response.content[:300]}"
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert {"detail", "code", "errors"} <= set(response.json())
        if response.status_code in (403, 404):
            assert "Yusuf" not in response.content.decode()
