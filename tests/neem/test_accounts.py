"""Logging in by e-mail, landing per role, the demo data, staff MFA and production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from coaching.models import CaseEvent, CaseFile, NextAction, Participant
from neem.management.commands.seed_demo import LOGINS, PASSWORD
from neem.models import Membership, Programme, ProgrammeTarget, Region

from ..factories import PASSWORD as TEST_PASSWORD

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent.parent


def log_in(email: str, password: str):
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": password}, follow=True)
    return client, response


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("adviser", "/cases/"),
        ("lead", "/cases/"),
        ("manager", "/cases/"),
        ("administrator", "/cases/"),
        ("committee", "/committee/"),
        ("participant", "/my/"),
    ],
)
def test_login_by_email_lands_where_the_role_works(world, who, landing):
    user = getattr(world, who)

    _client, response = log_in(user.email.upper(), TEST_PASSWORD)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == landing
    assert response.wsgi_request.user == user


def test_wrong_password_is_refused(world):
    client, response = log_in(world.adviser.email, "not-the-password")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/cases/").status_code == 302


def test_login_lands_on_next_when_given(world):
    client = Client()
    response = client.post(
        f"/accounts/login/?next=/cases/{world.case.pk}/",
        {"login": world.adviser.email, "password": TEST_PASSWORD, "next": f"/cases/{world.case.pk}/"},
    )
    assert response["Location"] == f"/cases/{world.case.pk}/"


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    models = [get_user_model(), Programme, Region, Membership, ProgrammeTarget, Participant, CaseFile, CaseEvent]
    return {model.__name__: model.objects.count() for model in [*models, NextAction]}


def test_seed_demo_twice_makes_no_duplicates_and_every_demo_login_works():
    call_command("seed_demo", quiet=True)
    first = counts()
    call_command("seed_demo", quiet=True)

    assert counts() == first
    assert first["CaseFile"] > 50
    assert first["Programme"] == 1
    landings = {}
    for email, _what in LOGINS:
        _client, response = log_in(email, PASSWORD)
        assert response.wsgi_request.user.is_authenticated, email
        landings[email] = response.redirect_chain[-1][0]
    assert landings["adviser.stockholm@example.com"] == "/cases/"
    assert landings["committee@example.com"] == "/committee/"
    assert landings["participant@example.com"] == "/my/"


# --- Staff MFA --------------------------------------------------------------------------------------


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
@pytest.mark.parametrize("who", ["adviser", "lead", "committee", "manager", "administrator"])
def test_staff_without_totp_are_sent_to_set_it_up(world, client_for, who):
    response = client_for(getattr(world, who)).get("/home/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
def test_staff_logging_in_land_on_the_totp_set_up_page(world):
    client, response = log_in(world.adviser.email, TEST_PASSWORD)

    activate = reverse("mfa_activate_totp")
    assert [url for url, _status in response.redirect_chain][1] == activate
    # allauth asks for the password once more before it shows the TOTP secret.
    assert unquote(response.redirect_chain[-1][0]) == f"{reverse('account_reauthenticate')}?next={activate}"
    response = client.post(response.redirect_chain[-1][0], {"password": TEST_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == activate
    assert 'name="code"' in response.content.decode()


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
def test_a_participant_logging_in_lands_on_her_page(world):
    _client, response = log_in(world.participant.email, TEST_PASSWORD)

    assert response.redirect_chain[-1][0] == "/my/"


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
def test_a_participant_is_not_asked_for_mfa(world, client_for):
    assert client_for(world.participant).get("/my/").status_code == 200


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
def test_staff_with_totp_get_in(world, client_for):
    Authenticator.objects.create(user=world.adviser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client_for(world.adviser).get("/cases/").status_code == 200


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
def test_programme_that_does_not_require_mfa_lets_its_advisers_in(world, client_for):
    Programme.objects.filter(pk=world.programme.pk).update(require_staff_mfa=False)
    assert client_for(world.adviser).get("/cases/").status_code == 200


def test_mfa_is_not_enforced_when_the_installation_turns_it_off(world, client_for):
    assert client_for(world.adviser).get("/cases/").status_code == 200


# --- Production settings -------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_a_required_variable(missing):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "neem.settings.production",
        "SECRET_KEY": "a-long-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "neem.example",
        "DATABASE_URL": "sqlite:////tmp/neem-never-created.sqlite3",
    }
    del env[missing]

    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_settings_load_with_the_required_variables():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "neem.settings.production",
        "SECRET_KEY": "a-long-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "neem.example",
        "DATABASE_URL": "sqlite:////tmp/neem-never-created.sqlite3",
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
