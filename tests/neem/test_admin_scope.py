"""The Django admin: a programme's administrator configures her programme, and nothing of another's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission

from banking.models import BankAccount
from neem.admin import ProgrammeScopedAdmin, SuperuserOnlyAdmin, UserAdmin
from neem.models import Membership, Role

from ..conftest import staff
from ..factories import ProgrammeFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    ours = ProgrammeFactory(name="Ours programme")
    theirs = ProgrammeFactory(name="Theirs programme")
    ours_region = RegionFactory(programme=ours, name="Oursville")
    theirs_region = RegionFactory(programme=theirs, name="Theirsville")
    administrator = staff(Role.ADMINISTRATOR, programme=ours, is_staff=True)
    # The most generous grant an installation might make: every permission of the admin.
    administrator.user_permissions.set(Permission.objects.all())
    BankAccount.objects.create(programme=ours, holder_name="Ours AB", iban="SE4550000000058398257466")
    BankAccount.objects.create(programme=theirs, holder_name="Theirs AB", iban="SE7280000810340009783242")
    return ours, theirs, ours_region, theirs_region, administrator


def test_every_admin_of_ours_is_scoped_to_her_programmes_or_a_superusers():
    root = Path(settings.BASE_DIR)
    for model, model_admin in admin.site._registry.items():
        app_path = Path(model._meta.app_config.path)
        if not app_path.is_relative_to(root) or ".venv" in app_path.parts:
            continue
        assert isinstance(model_admin, (ProgrammeScopedAdmin, SuperuserOnlyAdmin, UserAdmin)), model._meta.label
        if isinstance(model_admin, ProgrammeScopedAdmin):  # the path to the programme is a real one
            list(model._default_manager.filter(**{f"{model_admin.programme_path}__in": [0]})[:1])


def test_an_administrator_lists_and_opens_only_her_programme(client, two):
    ours, theirs, ours_region, theirs_region, administrator = two
    client.force_login(administrator)

    for url in ("/admin/neem/programme/", "/admin/neem/region/", "/admin/banking/bankaccount/"):
        body = client.get(url).content.decode()
        assert "Ours" in body, url
        assert "Theirs" not in body, url
    # Another programme's objects are not there by URL either (the admin sends her back to its index).
    for url in (
        f"/admin/neem/programme/{theirs.pk}/change/",
        f"/admin/neem/region/{theirs_region.pk}/change/",
        f"/admin/banking/bankaccount/{BankAccount.objects.get(programme=theirs).pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "Theirs" not in response.content.decode()
    assert client.get(f"/admin/neem/region/{ours_region.pk}/change/").status_code == 200
    # Programmes are created and deleted by a superuser.
    assert client.get("/admin/neem/programme/add/").status_code == 403
    assert client.post(f"/admin/neem/programme/{ours.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_administrator_cannot_give_a_role_in_another_programme(client, two):
    ours, theirs, _ours_region, theirs_region, administrator = two
    client.force_login(administrator)

    response = client.post(
        "/admin/neem/membership/add/",
        {"user": administrator.pk, "role": Role.MANAGER, "programme": theirs.pk, "region": ""},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(programme=theirs).exists()


def test_an_administrator_cannot_make_anyone_a_superuser(client, two):
    _ours, _theirs, _ours_region, _theirs_region, administrator = two
    client.force_login(administrator)

    body = client.get(f"/admin/neem/user/{administrator.pk}/change/").content.decode()

    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in body, field
    assert client.get("/admin/neem/user/add/").status_code == 403
    # People of other programmes are not hers to see.
    stranger = staff(Role.ADVISER, programme=_theirs, region=_theirs_region, email="stranger@example.org")
    assert client.get(f"/admin/neem/user/{stranger.pk}/change/").status_code == 302


def test_personal_records_are_a_superusers_and_a_superuser_sees_every_programme(client, two):
    _ours, _theirs, _ours_region, _theirs_region, administrator = two
    client.force_login(administrator)
    assert client.get("/admin/coaching/participant/").status_code == 403

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get("/admin/neem/programme/").content.decode()
    assert "Ours" in body and "Theirs" in body
    assert client.get("/admin/coaching/participant/").status_code == 200
