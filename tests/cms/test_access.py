"""Editors reach the Wagtail admin through their role; visitors and participants never do."""

from __future__ import annotations

import pytest

from cms.editors import GROUP_NAME
from coaching.models import Participant
from neem.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user, programme, home):  # after the page tree exists: the group gets rights on its root
    user = make_user("editor@example.com")
    Membership.objects.create(user=user, programme=programme, role=Role.EDITOR)
    return user


def test_a_visitor_cannot_reach_the_cms_admin(client, home):
    response = client.get("/cms-admin/", follow=True)

    # Wagtail's login door sends every login through allauth.
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert client.get("/cms-admin/pages/").status_code == 302


def test_a_participant_cannot_reach_the_cms_admin(client, make_user, home):
    user = make_user("participant@example.com")
    Participant.objects.create(user=user, first_name="Amal", last_name="Yusuf")
    client.force_login(user)

    response = client.get("/cms-admin/", follow=True)

    # Logged in without the right: the login door answers 403 instead of looping through allauth.
    assert response.status_code == 403
    assert "Wagtail" not in response.content.decode()


def test_a_participant_never_gets_the_editor_group_even_with_the_role(make_user, programme):
    user = make_user("both@example.com")
    Participant.objects.create(user=user, first_name="Amal", last_name="Yusuf")

    Membership.objects.create(user=user, programme=programme, role=Role.EDITOR)

    assert not user.groups.filter(name=GROUP_NAME).exists()


def test_staff_without_the_editor_role_cannot_reach_the_cms_admin(client, region_lead, home):
    client.force_login(region_lead)

    assert client.get("/cms-admin/").status_code == 302


def test_an_editor_reaches_the_cms_admin_and_can_edit_pages(client, editor, home):
    client.force_login(editor)

    assert client.get("/cms-admin/").status_code == 200
    assert client.get(f"/cms-admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get("/cms-admin/locales/").status_code == 200  # where she adds a language


def test_removing_the_editor_role_removes_the_access(client, editor, home):
    Membership.objects.filter(user=editor, role=Role.EDITOR).delete()
    client.force_login(editor)

    assert client.get("/cms-admin/").status_code == 302
    assert not editor.groups.filter(name=GROUP_NAME).exists()


def test_the_staff_menu_links_editors_to_the_cms_admin(client, editor, home):
    client.force_login(editor)

    assert "Edit the public site" in client.get(home.url).content.decode()
