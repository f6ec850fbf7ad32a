"""Registering and editing participants through the views: duplicates, bad input, history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coaching.models import CaseEvent, CaseFile, Participant, Stage

from ..factories import ParticipantFactory

pytestmark = pytest.mark.django_db

NEW = "/participants/new/"


def form_data(world, **overrides) -> dict:
    data = {
        "region": world.north.pk,
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa.oberg@example.se",
        "phone": "070-123 45 67",
        "date_of_birth": "1985-03-02",
        "gender": "woman",
        "country_of_birth": "Sweden",
        "residence_permit": "citizen",
        "languages": "svenska",
        "preferred_language": "sv",
        "education": "university",
        "employment_status": "unemployed",
        "months_unemployed": "6",
        "household_adults": "1",
        "household_children": "2",
        "household_income": "12000",
        "referral_source": "workshop",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_adviser_registers_a_participant_and_the_case_opens_assigned_to_her(world, client_for):
    response = client_for(world.adviser).post(NEW, form_data(world))

    participant = Participant.objects.get(email="asa.oberg@example.se")
    case = participant.cases.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.state, case.region, case.adviser) == (Stage.MOBILISED, world.north, world.adviser)
    assert participant.phone == "+46701234567"
    assert participant.consent_given_at is not None
    assert participant.consent_text_version == "1"
    assert list(case.events.values_list("kind", flat=True).order_by("id")) == ["opened", "assigned"]


@pytest.mark.parametrize(
    ("existing", "entered"),
    [
        pytest.param({"email": "Asa.Oberg@Example.SE"}, {"phone": ""}, id="same-email-other-case"),
        pytest.param({"phone": "+46 70 123 45 67", "email": "x@example.org"}, {"email": ""}, id="same-phone-e164"),
        pytest.param(
            {"first_name": "ASA", "last_name": "oberg", "email": "x@example.org", "phone": "+46709999999"},
            {},
            id="same-name-without-accents-and-birth-date",
        ),
    ],
)
def test_a_possible_duplicate_is_shown_and_nothing_is_created(world, client_for, existing, entered):
    known = ParticipantFactory(**{"date_of_birth": date(1985, 3, 2), **existing})
    before = Participant.objects.count()

    response = client_for(world.adviser).post(NEW, form_data(world, **entered))

    assert response.status_code == 200
    assert Participant.objects.count() == before
    assert list(response.context["duplicates"]) == [known]
    body = response.content.decode()
    assert "Possibly already registered" in body
    assert "This person may already be registered" in body
    assert 'name="create_anyway"' in body


def test_same_name_with_another_birth_date_is_not_a_duplicate(world, client_for):
    ParticipantFactory(first_name="Asa", last_name="Oberg", date_of_birth=date(1970, 1, 1), email="", phone="")

    response = client_for(world.adviser).post(NEW, form_data(world))

    assert response.status_code == 302
    assert Participant.objects.filter(name_key="asa oberg").count() == 2


def test_create_anyway_registers_the_second_person(world, client_for):
    ParticipantFactory(email="asa.oberg@example.se")

    response = client_for(world.adviser).post(NEW, form_data(world, create_anyway="on"))

    assert response.status_code == 302
    assert Participant.objects.filter(email_normalized="asa.oberg@example.se").count() == 2


def test_a_duplicate_in_a_region_the_adviser_cannot_see_is_named_without_a_link(world, client_for):
    ParticipantFactory(email="asa.oberg@example.se")  # no case at all
    body = client_for(world.adviser).post(NEW, form_data(world)).content.decode()
    assert "Possibly already registered" in body
    # And the existing participant of the other region is never linked.
    response = client_for(world.adviser).post(NEW, form_data(world, email=world.other_participant.email))
    assert f"/cases/{world.other_case.pk}/" not in response.content.decode()
    assert "a case in South" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12"}, "phone", "does not look like a phone number"),
        (
            {"date_of_birth": (date.today() + timedelta(days=2)).isoformat()},
            "date_of_birth",
            "cannot be in the future",
        ),
        ({"consent": None}, "consent", "Record the person"),
        ({"email": "", "phone": ""}, "email", "Give an e-mail address or a phone number"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"first_name": ""}, "first_name", "required"),
    ],
)
def test_bad_input_shows_the_message_and_creates_nothing(world, client_for, overrides, field, message):
    before = (Participant.objects.count(), CaseFile.objects.count())

    response = client_for(world.adviser).post(NEW, form_data(world, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert message in body
    assert "Nothing was saved" in body
    assert (Participant.objects.count(), CaseFile.objects.count()) == before


def test_adviser_cannot_open_a_case_in_another_region_by_forging_the_region(world, client_for):
    response = client_for(world.adviser).post(NEW, form_data(world, region=world.south.pk))

    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Participant.objects.filter(email="asa.oberg@example.se").exists()


# --- Editing and history -------------------------------------------------------------------------


def edit_data(participant: Participant, **overrides) -> dict:
    fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "gender",
        "country_of_birth",
        "residence_permit",
        "languages",
        "preferred_language",
        "education",
        "employment_status",
        "household_adults",
        "household_children",
        "referral_source",
    ]
    data = {name: getattr(participant, name) for name in fields}
    data["date_of_birth"] = participant.date_of_birth.isoformat()
    data.update(overrides)
    return data


def test_assigned_adviser_edits_the_details_and_the_timeline_notes_it(world, client_for):
    participant = world.case.participant

    response = client_for(world.adviser).post(
        f"/participants/{participant.pk}/edit/", edit_data(participant, phone="0701112233", languages="somali")
    )

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{world.case.pk}/"
    saved = Participant.objects.get(pk=participant.pk)
    assert (saved.phone, saved.languages) == ("+46701112233", "somali")
    event = world.case.events.get(kind=CaseEvent.Kind.UPDATED)
    assert event.actor == world.adviser
    assert set(event.data["fields"]) == {"phone", "languages"}


def test_history_records_who_changed_what_and_the_case_record_shows_it(world, client_for):
    participant = world.case.participant
    old_phone = participant.phone
    client = client_for(world.adviser)

    client.post(f"/participants/{participant.pk}/edit/", edit_data(participant, phone="+46 70 111 22 33"))

    record = participant.history.latest()
    assert record.history_user == world.adviser
    assert record.history_type == "~"
    assert record.phone == "+46701112233"
    body = client.get(f"/cases/{world.case.pk}/record/").content.decode()
    assert "Who changed what" in body
    assert old_phone in body
    assert "+46701112233" in body
    assert str(world.adviser) in body


def test_edit_with_bad_phone_shows_the_message_and_changes_nothing(world, client_for):
    participant = world.case.participant

    response = client_for(world.adviser).post(
        f"/participants/{participant.pk}/edit/", edit_data(participant, phone="12")
    )

    assert response.status_code == 200
    assert "does not look like a phone number" in response.content.decode()
    assert Participant.objects.get(pk=participant.pk).phone == participant.phone
    assert participant.history.count() == 1


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("other_adviser", 404), ("administrator", 403)])
def test_a_user_without_the_right_cannot_edit(world, client_for, who, status):
    participant = world.case.participant

    response = client_for(getattr(world, who)).post(
        f"/participants/{participant.pk}/edit/", edit_data(participant, first_name="Changed")
    )

    assert response.status_code == status
    assert Participant.objects.get(pk=participant.pk).first_name == "Amal"
