"""The administrator's token pages: the secret shown once, revocation, the call log; nobody else gets in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from api.models import ApiToken
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"neem_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}")


def _form(world, **overrides):
    return {
        "programme": world.programme.pk,
        "name": "Employment service",
        "user": world.adviser.pk,
        "scopes": ["read", "write"],
        "days": "30",
        **overrides,
    }


def test_the_administrator_creates_a_token_and_sees_its_secret_once(world, client_for):
    client = client_for(world.administrator)

    created = client.post(reverse("api:token_create"), _form(world))
    listed = client.get(reverse("api:token_list"))

    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    secret = TOKEN.search(created.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert (token.user, token.programme, token.scopes, token.created_by) == (
        world.adviser,
        world.programme,
        ["read", "write"],
        world.administrator,
    )
    assert listed.status_code == 200
    assert token.prefix in listed.content.decode()
    assert not TOKEN.search(listed.content.decode())
    assert ApiClient(secret).get("/api/v1/cases").status_code == 200


def test_a_participant_is_not_offered_and_cannot_be_chosen(world, client_for):
    client = client_for(world.administrator)

    form = client.get(reverse("api:token_create")).content.decode()
    response = client.post(reverse("api:token_create"), _form(world, user=world.participant.pk))

    assert world.participant.email not in form
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_bad_input_is_shown_on_the_form_and_creates_nothing(world, client_for):
    response = client_for(world.administrator).post(reverse("api:token_create"), _form(world, scopes=[], days="0"))

    assert response.status_code == 200
    assert {"scopes", "days"} <= set(response.context["form"].errors)
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(world, client_for):
    secret = make_token(world.adviser, world.programme)
    token = ApiToken.objects.get()

    response = client_for(world.administrator).post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_by == world.administrator
    assert ApiClient(secret).get("/api/v1/cases").status_code == 401


def test_another_programmes_administrator_cannot_see_or_revoke_the_token(world, client_for):
    make_token(world.adviser, world.programme)
    token = ApiToken.objects.get()
    elsewhere = ProgrammeFactory()
    stranger = MembershipFactory(user=UserFactory(), programme=elsewhere, region=None, role="administrator").user

    listed = client_for(stranger).get(reverse("api:token_list"))
    revoked = client_for(stranger).post(reverse("api:token_revoke", args=[token.pk]))

    assert token.prefix not in listed.content.decode()
    assert revoked.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize("role", ["adviser", "lead", "manager", "committee", "participant"])
def test_only_administrators_reach_the_pages(world, client_for, role):
    client = client_for(getattr(world, role))

    for name in ("api:token_list", "api:token_create", "api:call_list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("api:token_create"), _form(world)).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_navigation_links_the_page_for_administrators_only(world, client_for):
    link = reverse("api:token_list")

    assert link in client_for(world.administrator).get(reverse("staff_list")).content.decode()
    assert link not in client_for(world.manager).get(reverse("coaching:caseload")).content.decode()


def test_the_call_log_lists_the_programmes_calls(world, client_for):
    secret = make_token(world.adviser, world.programme)
    ApiClient(secret).get("/api/v1/cases")
    ApiClient(secret).get("/api/v1/cases/999999")

    page = client_for(world.administrator).get(reverse("api:call_list")).content.decode()

    assert "/api/v1/cases/999999" in page
    assert "404" in page


def test_the_pages_cost_the_same_queries_for_few_or_many_tokens(world, client_for, django_assert_num_queries):
    client = client_for(world.administrator)
    make_token(world.adviser, world.programme)
    ApiClient(make_token(world.lead, world.programme)).get("/api/v1/cases")
    with django_assert_num_queries(QUERIES["list"]):
        client.get(reverse("api:token_list"))
    with django_assert_num_queries(QUERIES["calls"]):
        client.get(reverse("api:call_list"))

    for user in (world.colleague, world.manager, world.administrator):
        ApiClient(make_token(user, world.programme)).get("/api/v1/cases")

    with django_assert_num_queries(QUERIES["list"]):
        client.get(reverse("api:token_list"))
    with django_assert_num_queries(QUERIES["calls"]):
        client.get(reverse("api:call_list"))


QUERIES = {"list": 7, "calls": 8}
