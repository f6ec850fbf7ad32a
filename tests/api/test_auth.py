"""Tokens: who may hold one, how it is stored, and what an expired, revoked, unknown or narrow one gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api import services, tokens
from api.models import ApiCall, ApiToken
from coaching.errors import NotAllowed, Refused

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"


def _json_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert isinstance(body["errors"], list)
    return body


def test_no_token_gets_401_json_with_a_bearer_challenge(world):
    response = ApiClient(None).get(CASES)

    body = _json_error(response, 401, "unauthenticated")
    assert "Authorization: Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_browser_session_is_not_an_api_token(world, client_for):
    response = client_for(world.manager).get(CASES)

    _json_error(response, 401, "unauthenticated")


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer neem_000000000000_notthesecret", "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_an_unknown_or_malformed_token_gets_401(world, header):
    make_token(world.adviser, world.programme)  # a real token exists; these are not it

    response = ApiClient(None).get(CASES, HTTP_AUTHORIZATION=header)

    _json_error(response, 401, "unauthenticated")


def test_a_right_prefix_with_a_wrong_secret_gets_401(world):
    secret = make_token(world.adviser, world.programme)
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")

    _json_error(ApiClient(forged).get(CASES), 401, "unauthenticated")
    assert ApiClient(secret).get(CASES).status_code == 200


def test_an_expired_token_gets_401(world):
    secret = make_token(world.adviser, world.programme)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    body = _json_error(ApiClient(secret).get(CASES), 401, "unauthenticated")
    assert "expired" in body["detail"]


def test_a_revoked_token_gets_401_at_once(world):
    secret = make_token(world.adviser, world.programme)
    token = ApiToken.objects.get()
    assert ApiClient(secret).get(CASES).status_code == 200

    services.token_revoke(by=world.administrator, token_id=token.pk)

    body = _json_error(ApiClient(secret).get(CASES), 401, "unauthenticated")
    assert "revoked" in body["detail"]
    token = ApiToken.objects.get()
    assert token.revoked_by == world.administrator


def test_a_deactivated_staff_members_token_gets_401(world):
    secret = make_token(world.adviser, world.programme)
    world.adviser.is_active = False
    world.adviser.save()

    _json_error(ApiClient(secret).get(CASES), 401, "unauthenticated")


def test_a_read_token_cannot_write_or_record_repayments(api_world):
    w = api_world
    client = ApiClient(make_token(w.adviser, w.programme, scopes=["read"]))

    transition = client.post(f"{CASES}/{w.case.pk}/transitions", {"transition": "withdraw", "reason": "other"})
    repayment = client.post(
        f"/api/v1/loans/{w.loan.pk}/repayments",
        {"amount": "100.00", "on": str(timezone.localdate())},
        HTTP_IDEMPOTENCY_KEY="key-00000001",
    )

    assert "write" in _json_error(transition, 403, "missing_scope")["detail"]
    assert "repayments" in _json_error(repayment, 403, "missing_scope")["detail"]
    assert w.loan.entries.filter(kind="repayment").count() == 0
    assert client.get(f"{CASES}/{w.case.pk}").json()["state"] == "coaching"


def test_a_write_token_cannot_read_or_record_repayments(api_world):
    w = api_world
    client = ApiClient(make_token(w.adviser, w.programme, scopes=["write"]))

    _json_error(client.get(CASES), 403, "missing_scope")
    _json_error(
        client.post(
            f"/api/v1/loans/{w.loan.pk}/repayments",
            {"amount": "1.00", "on": str(timezone.localdate())},
            HTTP_IDEMPOTENCY_KEY="key-00000002",
        ),
        403,
        "missing_scope",
    )


def test_the_secret_is_stored_only_as_a_hash(world):
    new = services.token_create(
        by=world.administrator,
        programme=world.programme,
        user=world.adviser,
        name="Employment service",
        scopes=["read"],
    )

    row = ApiToken.objects.get()
    assert new.secret.startswith(f"neem_{row.prefix}_")
    assert row.secret_hash == tokens.digest(new.secret)
    stored = " ".join(str(v) for v in ApiToken.objects.values().get().values())
    assert new.secret not in stored
    assert new.secret.split("_", 2)[2] not in stored


@pytest.mark.parametrize("role", ["participant", "committee", "adviser", "lead", "manager"])
def test_only_the_programmes_administrator_creates_tokens(world, role):
    with pytest.raises(NotAllowed):
        services.token_create(
            by=getattr(world, role), programme=world.programme, user=world.adviser, name="x", scopes=["read"]
        )
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["participant", "other_participant", "committee"])
def test_a_participant_or_committee_member_cannot_be_given_a_token(world, role):
    with pytest.raises(Refused):
        services.token_create(
            by=world.administrator, programme=world.programme, user=getattr(world, role), name="x", scopes=["read"]
        )
    assert not ApiToken.objects.exists()


def test_a_staff_member_who_is_also_a_participant_gets_no_token(world):
    from neem.models import Membership, Role

    Membership.objects.create(user=world.participant, programme=world.programme, region=world.north, role=Role.ADVISER)

    with pytest.raises(Refused):
        services.token_create(
            by=world.administrator, programme=world.programme, user=world.participant, name="x", scopes=["read"]
        )


@pytest.mark.parametrize(("scopes", "days"), [([], 30), (["read", "admin"], 30), (["read"], 0), (["read"], 366)])
def test_bad_scopes_or_lifetimes_are_refused(world, scopes, days):
    with pytest.raises(Refused):
        services.token_create(
            by=world.administrator, programme=world.programme, user=world.adviser, name="x", scopes=scopes, days=days
        )
    assert not ApiToken.objects.exists()


def test_every_call_is_logged_with_token_status_and_ip(world):
    secret = make_token(world.adviser, world.programme)
    token = ApiToken.objects.get()
    client = ApiClient(secret)

    client.get(CASES, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    client.get(f"{CASES}/999999")
    ApiClient(None).get(CASES)
    ApiClient(None).get("/api/v1/openapi.json")  # reading the schema is not a call on the data

    calls = list(ApiCall.objects.order_by("id"))
    assert [(c.token_id, c.method, c.path, c.status) for c in calls] == [
        (token.pk, "GET", CASES, 200),
        (token.pk, "GET", f"{CASES}/999999", 404),
        (None, "GET", CASES, 401),
    ]
    assert calls[0].ip == "198.51.100.7"
    assert calls[0].programme_id == world.programme.pk
    assert all(c.duration_ms >= 0 for c in calls)
    assert ApiToken.objects.get().last_used_at is not None


# --- The command ---------------------------------------------------------------------------------


def test_the_command_prints_a_working_token_once(world, capsys):
    call_command("create_api_token", "--email", world.lead.email, "--scopes", "read,write", "--days", "10")

    out, err = capsys.readouterr()
    secret = out.strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"neem_{token.prefix}_")
    assert secret not in err
    assert token.user == world.lead and token.programme == world.programme
    assert token.scopes == ["read", "write"]
    assert token.created_by is None
    assert timedelta(days=9, hours=23) < token.expires_at - timezone.now() <= timedelta(days=10)
    assert ApiClient(secret).get(CASES).status_code == 200


@pytest.mark.parametrize(
    ("who", "scopes", "message"),
    [
        ("nobody@example.org", "read", "No user"),
        ("participant", "read", "no staff role"),
        ("committee", "read", "no staff role"),
        ("adviser", "read,delete", "Unknown scope"),
    ],
)
def test_the_command_refuses_clearly(world, who, scopes, message):
    email = who if "@" in who else getattr(world, who).email
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", "--email", email, "--scopes", scopes)
    assert not ApiToken.objects.exists()


def test_a_server_error_is_logged_too(world, monkeypatch):
    from api import v1

    secret = make_token(world.adviser, world.programme)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(v1, "_case_out", broken)
    client = ApiClient(secret)
    client.client.raise_request_exception = False

    response = client.get(CASES)

    assert response.status_code == 500
    assert ApiCall.objects.get().status == 500
