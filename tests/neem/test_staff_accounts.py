"""An administrator invites staff, deactivates accounts and resets lost MFA devices."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail

from coaching.models import CaseFile
from neem.models import AuditEvent, Membership, Role
from tests.casework_world import build_world, make_case

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    return build_world()


def test_admin_invites_an_adviser_who_gets_a_link(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/invite/",
            {
                "email": "New.Adviser@Example.com",
                "first_name": "Nina",
                "last_name": "Ny",
                "programme": world.programme.pk,
                "role": Role.ADVISER,
                "region": world.north.pk,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.adviser@example.com")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.ADVISER, region=world.north).exists()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITED, subject=user, actor=world.admin).exists()


def test_invite_of_an_adviser_without_region_is_refused_on_the_form(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/staff/invite/",
        {
            "email": "x@example.com",
            "first_name": "X",
            "last_name": "Y",
            "programme": world.programme.pk,
            "role": Role.ADVISER,
        },
    )
    assert response.status_code == 200
    assert "belong to a region" in response.content.decode()
    assert not User.objects.filter(email="x@example.com").exists()


def test_deactivated_adviser_is_logged_out_and_cannot_log_in(world, client):
    case = make_case(world, adviser=world.adviser)
    adviser_client = client.__class__()
    adviser_client.post("/accounts/login/", {"login": world.adviser.email, "password": "pw-123456789"})
    assert adviser_client.get("/cases/").status_code == 200

    client.force_login(world.admin)
    assert client.post(f"/staff/{world.adviser.pk}/deactivate/").status_code == 302

    assert adviser_client.get("/cases/").status_code == 302  # her session ended
    again = client.__class__()
    again.post("/accounts/login/", {"login": world.adviser.email, "password": "pw-123456789"})
    assert again.get("/cases/").status_code == 302
    # Her open cases count as unassigned until a lead hands them over.
    client.force_login(world.lead)
    body = client.get("/cases/?adviser=none&all=1").content.decode()
    assert case.participant.full_name in body
    assert CaseFile.objects.get(pk=case.pk).adviser_id == world.adviser.pk


def test_reset_mfa_removes_devices_and_is_logged(world, client):
    Authenticator.objects.create(user=world.adviser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(world.admin)
    client.post(f"/staff/{world.adviser.pk}/reset-mfa/")
    assert not Authenticator.objects.filter(user=world.adviser).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MFA_RESET, subject=world.adviser).exists()


def test_after_a_reset_mfa_must_be_set_up_again_where_required(world, client, settings):
    settings.NEEM_ENFORCE_STAFF_MFA = True
    client.force_login(world.adviser)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("who", ["adviser", "lead", "manager", "committee"])
def test_only_administrators_manage_staff(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get("/staff/").status_code == 403
    assert client.post(f"/staff/{world.adviser2.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=world.adviser2.pk).is_active
