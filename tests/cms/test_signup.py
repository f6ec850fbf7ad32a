"""The sign-up journey: a visitor's form becomes a case in `mobilised` in the region's queue."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from cms.forms import TIMESTAMP_SALT
from cms.models import WorkshopPage, WorkshopRegistration
from coaching.models import CaseEvent, CaseFile, Participant, ReferralSource, Stage

from .conftest import form_data

pytestmark = pytest.mark.django_db


def sign_up(client, page, **overrides):
    return client.post(page.url, form_data(**overrides))


def test_workshop_sign_up_opens_a_mobilised_case_in_the_region_queue(
    client, workshop, stockholm, region_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, workshop, region=stockholm.pk)

    assert response.status_code == 302
    assert response["Location"] == workshop.url + "#main"
    person = Participant.objects.get()
    assert (person.full_name, person.email, person.phone) == (
        "Amina Hassan",
        "amina.hassan@example.org",
        "+46701234567",
    )
    assert person.referral_source == ReferralSource.EMPLOYMENT_SERVICE
    assert person.preferred_language == "en"
    assert person.consent_given_at is not None
    assert person.consent_text_version == "builtin-1"
    case = CaseFile.objects.get()
    assert (case.state, case.region, case.adviser) == (Stage.MOBILISED, stockholm, None)
    event = case.events.get()
    assert (event.kind, event.actor, event.to_state) == (CaseEvent.Kind.OPENED, None, Stage.MOBILISED)
    assert "Information workshop in Kista" in event.note
    registration = WorkshopRegistration.objects.get()
    assert (registration.workshop_id, registration.participant, registration.waiting_list) == (
        workshop.pk,
        person,
        False,
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amina.hassan@example.org"]
    assert "Information workshop in Kista" in mailoutbox[0].body
    assert "Arbetsförmedlingen Kista" in mailoutbox[0].body

    page = client.get(workshop.url)
    assert "Your seat on" in page.content.decode()
    assert "1 seat left" in page.content.decode()

    client.force_login(region_lead)
    caseload = client.get("/cases/?adviser=none")
    assert caseload.status_code == 200
    assert "Hassan" in caseload.content.decode()


def test_sign_up_in_swedish_writes_to_her_in_swedish(
    client, workshop_sv, stockholm, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, workshop_sv, region=stockholm.pk, preferred_language="sv")

    assert response.status_code == 302
    assert Participant.objects.get().preferred_language == "sv"
    assert WorkshopRegistration.objects.get().workshop_id == workshop_sv.pk
    assert mailoutbox[0].subject == "Du är anmäld till informationsträffen"
    assert "Informationsträff i Kista" in mailoutbox[0].body


def test_translations_share_the_seats(client, workshop, workshop_sv, stockholm):
    sign_up(client, workshop, region=stockholm.pk)
    sign_up(client, workshop_sv, region=stockholm.pk, email="selam@example.org", phone="")

    assert WorkshopPage.objects.get(pk=workshop_sv.pk).seats_left == 0


def test_duplicate_sign_up_finds_the_existing_person_by_email(client, workshop, interest, stockholm):
    existing = Participant.objects.create(first_name="Amina", last_name="Hassan", email="Amina.Hassan@Example.org")

    sign_up(client, workshop, region=stockholm.pk, email=" amina.hassan@example.org ", phone="")
    sign_up(client, interest, region=stockholm.pk, email="AMINA.HASSAN@example.org", first_name="Amina H.")

    assert list(Participant.objects.all()) == [existing]
    case = CaseFile.objects.get()
    assert case.participant == existing
    kinds = list(case.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [CaseEvent.Kind.OPENED, CaseEvent.Kind.NOTE]
    existing = Participant.objects.get(pk=existing.pk)
    assert existing.first_name == "Amina"  # an anonymous form does not overwrite her details
    assert existing.phone == "+46701234567"  # but fills in what was missing


def test_duplicate_sign_up_finds_the_existing_person_by_phone(client, interest, stockholm):
    existing = Participant.objects.create(first_name="Amina", last_name="Hassan", phone="+46 70 123 45 67")

    sign_up(client, interest, region=stockholm.pk, phone="070-123 45 67")

    assert list(Participant.objects.all()) == [existing]


def test_a_shared_phone_with_another_email_is_another_person(client, interest, stockholm):
    Participant.objects.create(first_name="Mother", last_name="Hassan", email="mother@example.org", phone="0701234567")

    sign_up(client, interest, region=stockholm.pk, phone="070-123 45 67")

    assert Participant.objects.count() == 2


def test_signing_up_twice_for_one_workshop_keeps_one_seat(client, workshop, stockholm):
    sign_up(client, workshop, region=stockholm.pk)
    response = sign_up(client, workshop, region=stockholm.pk)

    assert response.status_code == 302
    assert WorkshopRegistration.objects.count() == 1
    assert "already signed up" in client.get(workshop.url).content.decode()


def test_full_workshop_says_so_and_offers_the_waiting_list(client, workshop, stockholm):
    sign_up(client, workshop, region=stockholm.pk, email="one@example.org", phone="")
    sign_up(client, workshop, region=stockholm.pk, email="two@example.org", phone="")

    page = client.get(workshop.url).content.decode()
    assert "This workshop is full" in page
    assert "Join the waiting list" in page

    response = sign_up(client, workshop, region=stockholm.pk, email="three@example.org", phone="", waiting_list="True")

    assert response.status_code == 302
    registration = WorkshopRegistration.objects.get(participant__email="three@example.org")
    assert registration.waiting_list
    assert WorkshopPage.objects.get(pk=workshop.pk).seats_taken == 2


def test_the_last_seat_taken_meanwhile_creates_nothing_and_offers_the_waiting_list(client, workshop, stockholm):
    sign_up(client, workshop, region=stockholm.pk, email="one@example.org", phone="")
    sign_up(client, workshop, region=stockholm.pk, email="two@example.org", phone="")

    # The form was shown while there was a seat, so it does not ask for the waiting list.
    response = sign_up(client, workshop, region=stockholm.pk, email="three@example.org", phone="")

    assert response.status_code == 409
    assert "The last seat has just been taken" in response.content.decode()
    assert not Participant.objects.filter(email="three@example.org").exists()
    assert CaseFile.objects.count() == 2


def test_full_workshop_without_waiting_list_refuses(client, workshop, stockholm):
    WorkshopPage.objects.filter(pk=workshop.pk).update(capacity=0, waiting_list=False)

    page = client.get(workshop.url).content.decode()
    response = sign_up(client, workshop, region=stockholm.pk, waiting_list="True")

    assert "Choose another date" in page
    assert response.status_code == 409
    assert not Participant.objects.exists()


def test_past_workshop_takes_no_sign_ups(client, workshop, stockholm):
    WorkshopPage.objects.filter(pk=workshop.pk).update(date=timezone.localdate() - timedelta(days=1))

    response = sign_up(client, workshop, region=stockholm.pk)

    assert response.status_code == 409
    assert not Participant.objects.exists()


def test_interest_page_puts_her_in_the_chosen_regions_queue(client, interest, orebro):
    response = sign_up(client, interest, region=orebro.pk, heard_from="word_of_mouth")

    assert response.status_code == 302
    case = CaseFile.objects.get()
    assert (case.region, case.state, case.adviser) == (orebro, Stage.MOBILISED, None)
    assert not WorkshopRegistration.objects.exists()
    assert Participant.objects.get().referral_source == ReferralSource.WORD_OF_MOUTH


def test_honeypot_filled_looks_fine_and_stores_nothing(client, workshop, stockholm, mailoutbox):
    response = sign_up(client, workshop, region=stockholm.pk, website="http://cheap-pills.example")

    assert response.status_code == 302
    assert not Participant.objects.exists()
    assert not CaseFile.objects.exists()
    assert not WorkshopRegistration.objects.exists()
    assert mailoutbox == []


def test_honeypot_is_hidden_from_people(client, workshop):
    html = client.get(workshop.url).content.decode()

    assert '<div class="trap" hidden aria-hidden="true">' in html
    assert 'name="website"' in html


def test_form_sent_faster_than_a_person_can_is_refused(client, workshop, stockholm):
    response = sign_up(client, workshop, region=stockholm.pk, started=signing.dumps(time.time(), salt=TIMESTAMP_SALT))

    assert response.status_code == 400
    assert "too quickly" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_person_who_takes_two_seconds_is_accepted(client, workshop, stockholm):
    started = signing.dumps(time.time() - 2, salt=TIMESTAMP_SALT)

    response = sign_up(client, workshop, region=stockholm.pk, started=started)

    assert response.status_code == 302
    assert Participant.objects.exists()


def test_a_forged_timestamp_is_refused(client, workshop, stockholm):
    response = sign_up(client, workshop, region=stockholm.pk, started="1")

    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_sign_ups_are_limited_per_email_address(client, interest, stockholm, settings):
    settings.NEEM_SIGNUP_LIMIT_PER_EMAIL = 2

    statuses = [sign_up(client, interest, region=stockholm.pk).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert "try again in an hour" in sign_up(client, interest, region=stockholm.pk).content.decode()


def test_sign_ups_are_limited_per_ip_address(client, interest, stockholm, settings):
    settings.NEEM_SIGNUP_LIMIT_PER_IP = 2

    statuses = [
        sign_up(client, interest, region=stockholm.pk, email=f"person{n}@example.org").status_code for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Participant.objects.count() == 2


def test_bad_input_gets_clear_messages_and_nothing_is_created(client, workshop, stockholm):
    response = sign_up(
        client, workshop, region=stockholm.pk, email="not-an-address", phone="12", consent=None, first_name=""
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please correct what is marked below. Nothing was saved." in html
    assert "Enter a valid email address." in html
    assert "This does not look like a phone number" in html
    assert "Tick the box to agree" in html
    assert "This field is required." in html
    assert 'value="not-an-address"' in html  # what she typed is kept
    assert not Participant.objects.exists()
    assert not CaseFile.objects.exists()


def test_a_failure_after_the_person_was_created_leaves_nothing_behind(client, workshop, stockholm, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(WorkshopRegistration.objects, "create", broken)

    with pytest.raises(RuntimeError):
        sign_up(client, workshop, region=stockholm.pk)

    assert not Participant.objects.exists()
    assert not CaseFile.objects.exists()
    assert not CaseEvent.objects.exists()


def test_the_privacy_text_is_shown_next_to_the_consent(client, interest):
    html = client.get(interest.url).content.decode()

    assert 'id="privacy-notice"' in html
    assert 'aria-describedby="privacy-notice"' in html
    assert "Neem stores your name" in html


def test_the_consent_she_ticks_is_recorded_with_the_words_she_read(client, interest, stockholm):
    from wagtail.models import Locale

    from cms.models import PrivacyNotice
    from privacy.models import ConsentRecord, Purpose

    sign_up(client, interest, region=stockholm.pk)
    record = ConsentRecord.objects.get()
    assert (record.purpose, record.recorded_by, record.withdrawn_at) == (Purpose.SIGN_UP, None, None)
    assert (record.text.programme, record.text.language, record.text.version) == (
        stockholm.programme,
        "en",
        "builtin-1",
    )
    assert record.text.text.startswith("I have read the privacy notice and agree that Neem stores my details")

    sign_up(client, interest, region=stockholm.pk)  # again, under the same text: the same consent stays in force
    assert ConsentRecord.objects.get() == record

    PrivacyNotice.objects.create(locale=Locale.get_default(), version="2026-12", text="<p>We keep it a year.</p>")
    sign_up(client, interest, region=stockholm.pk)
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    current = ConsentRecord.objects.get(withdrawn_at=None)
    assert current.text.version == "2026-12"
    assert current.text.text.endswith("We keep it a year.")
