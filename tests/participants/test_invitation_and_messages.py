"""The adviser invites the participant; the two write to each other with an e-mail notice."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from coaching.models import CaseEvent, Participant
from participants.models import Message
from tests.factories import CaseFileFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def new_person(world):
    """A participant of north without a login, who reads Swedish."""
    case = CaseFileFactory(
        participant=ParticipantFactory(first_name="Hodan", last_name="Ali", email="", preferred_language="sv"),
        region=world.north,
        adviser=world.adviser,
        state="coaching",
    )
    return case


def invite(client, case, email="hodan@example.net"):
    return client.post(reverse("participants:case_invite", args=[case.pk]), {"email": email})


def test_adviser_invites_and_she_sets_her_password_from_the_link(
    world, client_for, new_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(world.adviser), new_person)

    assert response.status_code == 302
    user = User.objects.get(email="hodan@example.net")
    assert not user.has_usable_password()
    assert Participant.objects.get(pk=new_person.participant_id).user == user
    assert EmailAddress.objects.get(user=user).verified
    assert CaseEvent.objects.filter(case=new_person, data__event="invitation").exists()
    (message,) = mail.outbox
    assert message.to == ["hodan@example.net"]
    assert "Neem" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body).group(1)

    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"password1": "a-new-strong-pass-91", "password2": "a-new-strong-pass-91"})
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("a-new-strong-pass-91")

    assert (
        client.post("/accounts/login/", {"login": "hodan@example.net", "password": "a-new-strong-pass-91"}).status_code
        == 302
    )
    assert client.get("/my/").status_code == 200


def test_invitation_is_in_her_language(world, client_for, new_person, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("sv"):
        expected = translation.gettext("You are invited to Neem")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(world.adviser), new_person)

    assert mail.outbox[0].subject == expected


def test_reinviting_resends_without_a_second_login(world, client_for, new_person, django_capture_on_commit_callbacks):
    client = client_for(world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, new_person)
        invite(client, new_person)

    assert User.objects.filter(email="hodan@example.net").count() == 1
    assert len(mail.outbox) == 2
    assert CaseEvent.objects.filter(case=new_person, data__event="invitation", data__resent=True).count() == 1


def test_an_address_with_a_login_cannot_be_taken(world, client_for, new_person):
    response = invite(client_for(world.adviser), new_person, email=world.colleague.email)

    assert response.status_code == 302
    assert Participant.objects.get(pk=new_person.participant_id).user is None


@pytest.mark.parametrize(
    ("who", "status"), [("colleague", 403), ("other_adviser", 404), ("participant", 404), ("committee", 404)]
)
def test_only_her_adviser_or_lead_invites(world, client_for, new_person, who, status):
    assert invite(client_for(getattr(world, who)), new_person).status_code == status
    assert not User.objects.filter(email="hodan@example.net").exists()


def test_she_writes_and_her_adviser_is_told_after_commit(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.participant)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("participants:my_messages", args=[world.case.pk]), {"text": "Can we meet?"})

    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Message.objects.get().from_participant
    (notice,) = mail.outbox
    assert notice.to == [world.adviser.email]
    assert "Can we meet?" not in notice.body, "the e-mail points to the thread, it does not carry the text"
    assert f"/cases/{world.case.pk}/" in notice.body


def test_adviser_answers_from_the_case_page_and_she_reads_it(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.adviser).post(
            reverse("participants:case_message", args=[world.case.pk]), {"text": "Yes, Monday"}
        )

    assert mail.outbox[0].to == [world.participant.email]
    assert reverse("participants:my_messages", args=[world.case.pk]) in mail.outbox[0].body
    message = Message.objects.get()
    assert message.read_at is None
    page = client_for(world.participant).get(reverse("participants:my_messages", args=[world.case.pk]))
    assert "Yes, Monday" in page.content.decode()
    assert Message.objects.get().read_at is not None


def test_the_case_page_shows_the_thread_and_documents_panel(world, client_for):
    Message.objects.create(case=world.case, author=world.participant, from_participant=True, text="Hi Sara")

    body = client_for(world.adviser).get(reverse("coaching:case_detail", args=[world.case.pk]), {"tab": "pages"})
    body = body.content.decode()

    assert "Hi Sara" in body
    assert reverse("participants:case_invite", args=[world.case.pk]) in body
    assert reverse("participants:case_document", args=[world.case.pk]) in body


@pytest.mark.parametrize("who", ["colleague", "other_adviser", "other_participant"])
def test_strangers_cannot_write_in_her_thread(world, client_for, who):
    client = client_for(getattr(world, who))
    client.post(reverse("participants:case_message", args=[world.case.pk]), {"text": "x"})
    client.post(reverse("participants:my_messages", args=[world.case.pk]), {"text": "x"})

    assert not Message.objects.exists()
