"""The personal-data pages: who may export, erase and record consent; the access log; sensitive fields."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching import services as coaching_services
from coaching.models import Participant
from privacy.models import AccessLog, ConsentRecord, ConsentText, Erasure

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(world):
    return ConsentText.objects.create(
        programme=world.programme, purpose="programme", language="en", version="2", text="I agree to take part."
    )


def _url(world, name: str) -> str:
    return f"/cases/{world.case.pk}/personal-data/{name}"


# --- Export ------------------------------------------------------------------------------------------


def test_region_lead_exports_everything_she_may_see_as_json_and_it_is_logged(world, client_for):
    coaching_services.note_add(case=world.case, by=world.adviser, text="Visited the market with her.")
    coaching_services.note_add(case=world.case, by=world.adviser, text="Adviser's worry.", confidential=True)

    response = client_for(world.lead).get(_url(world, "export.json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["parts"]["person"]["first_name"] == "Amal"
    notes = [n["text"] for n in data["parts"]["cases"][0]["notes"]]
    assert notes == ["Visited the market with her."]  # confidential notes are the adviser's, not hers
    assert {"person", "cases", "account"} <= set(data["parts"])
    log = AccessLog.objects.get()
    assert (log.user, log.participant_id, log.action) == (world.lead, world.case.participant_id, "export_json")


def test_manager_exports_a_readable_pdf(world, client_for):
    response = client_for(world.manager).get(_url(world, "export.pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(user=world.manager, action="export_pdf").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("adviser", 403),
        ("colleague", 403),
        ("administrator", 403),
        ("other_adviser", 404),
        ("committee", 404),
        ("other_participant", 404),
    ],
)
def test_others_cannot_export(world, client_for, who, status):
    for name in ("export.json", "export.pdf"):
        assert client_for(getattr(world, who)).get(_url(world, name)).status_code == status
    assert not AccessLog.objects.filter(action__startswith="export").exists()


def test_she_downloads_her_own_data_from_her_pages_unlogged(world, client_for):
    response = client_for(world.participant).get("/my/data.json")
    assert response.status_code == 200
    assert json.loads(response.content)["parts"]["person"]["email"] == "amal@example.net"
    assert client_for(world.participant).get("/my/data.pdf").content.startswith(b"%PDF")
    assert not AccessLog.objects.exists()
    assert client_for(world.adviser).get("/my/data.json").status_code == 404
    assert "/my/data.pdf" in client_for(world.participant).get("/my/").content.decode()


# --- Access log --------------------------------------------------------------------------------------


def test_opening_the_case_page_is_logged_for_staff(world, client_for):
    client_for(world.colleague).get(f"/cases/{world.case.pk}/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.case) == (world.colleague, "view", world.case)


def test_document_download_is_logged(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participants.services import document_upload

    upload = SimpleUploadedFile("quote.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = document_upload(by=world.adviser, case=world.case, upload=upload, kind="quote")
    assert client_for(world.lead).get(f"/case-documents/{document.pk}/").status_code == 200
    assert AccessLog.objects.get().action == "download"


def test_access_log_page_is_the_managers_with_constant_queries(world, client_for, django_assert_num_queries):
    client = client_for(world.manager)
    for user in (world.adviser, world.lead, world.colleague):
        client_for(user).get(f"/cases/{world.case.pk}/")
    client.get("/personal-data/access-log/")  # warm up (session, caches)
    with django_assert_num_queries(ACCESS_LOG_QUERIES):
        response = client.get("/personal-data/access-log/")
    assert len(response.context["page"].object_list) == 3
    for _ in range(10):
        client_for(world.other_adviser).get(f"/cases/{world.other_case.pk}/")
    with django_assert_num_queries(ACCESS_LOG_QUERIES):
        response = client.get("/personal-data/access-log/")
    assert len(response.context["page"].object_list) == 13
    assert "Amal Yusuf" in response.content.decode()
    assert "/personal-data/access-log/" in response.content.decode()  # in the manager's navigation
    for who in ("adviser", "lead", "administrator", "committee", "participant"):
        assert client_for(getattr(world, who)).get("/personal-data/access-log/").status_code == 403


# session, user, scope, the navigation's checks, the count and the page of entries (joined with who, whom and the
# case): the same however many entries.
ACCESS_LOG_QUERIES = 8


# --- Sensitive fields --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [("adviser", True), ("lead", True), ("manager", True), ("colleague", False), ("administrator", False)],
)
def test_background_and_residence_status_only_for_those_whose_role_needs_them(world, client_for, who, sees):
    coaching_services.participant_update(
        by=world.adviser,
        participant=world.case.participant,
        data={"country_of_birth": "Eritrea", "residence_permit": "temporary"},
    )
    page = client_for(getattr(world, who)).get(f"/cases/{world.case.pk}/").content.decode()
    assert ("Eritrea" in page) is sees
    assert ("Residence permit" in page) is sees
    assert ("temporary residence permit" in page) is sees
    # Nor in the case record's "who changed what", where the change itself is listed.
    record = client_for(getattr(world, who)).get(f"/cases/{world.case.pk}/record/").content.decode()
    assert "Who changed what" in record
    assert ("Eritrea" in record) is sees
    assert ("<td>temporary</td>" in record) is sees


# --- Consent -----------------------------------------------------------------------------------------


def test_adviser_records_consent_with_its_text_version_and_a_new_version_replaces_the_old(world, client_for, text):
    client = client_for(world.adviser)
    response = client.post(_url(world, "consents/"), {"text": text.pk})
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.purpose, record.text, record.recorded_by, record.withdrawn_at) == (
        "programme",
        text,
        world.adviser,
        None,
    )
    participant = Participant.objects.get(pk=world.case.participant_id)
    assert participant.consent_text_version == "2"

    newer = ConsentText.objects.create(
        programme=world.programme, purpose="programme", language="en", version="3", text="I agree (2027)."
    )
    client.post(_url(world, "consents/"), {"text": newer.pk})
    assert list(ConsentRecord.objects.filter(withdrawn_at=None).values_list("text__version", flat=True)) == ["3"]
    assert ConsentRecord.objects.get(text=text).withdrawn_by == world.adviser

    current = ConsentRecord.objects.get(withdrawn_at=None)
    assert client.post(_url(world, f"consents/{current.pk}/withdraw/")).status_code == 302
    assert not ConsentRecord.objects.filter(withdrawn_at=None).exists()


def test_consent_form_refuses_a_text_of_another_programme_and_changes_nothing(world, client_for, text):
    from tests.factories import ProgrammeFactory

    foreign = ConsentText.objects.create(
        programme=ProgrammeFactory(), purpose="programme", language="en", version="9", text="Other"
    )
    response = client_for(world.adviser).post(_url(world, "consents/"), {"text": foreign.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_colleague_and_manager_cannot_record_consent(world, client_for, text):
    assert client_for(world.colleague).post(_url(world, "consents/"), {"text": text.pk}).status_code == 403
    assert client_for(world.manager).post(_url(world, "consents/"), {"text": text.pk}).status_code == 403
    assert client_for(world.other_adviser).post(_url(world, "consents/"), {"text": text.pk}).status_code == 404
    assert not ConsentRecord.objects.exists()


# --- Erasure from the page ---------------------------------------------------------------------------


def test_manager_erases_from_the_page_after_typing_her_name(world, client_for):
    client = client_for(world.manager)
    page = client.get(_url(world, ""))
    assert "Erase for good" in page.content.decode()

    wrong = client.post(_url(world, "erase/"), {"reason": "Her request", "confirm": "Amal"})
    assert wrong.status_code == 400
    assert "Type her full name" in wrong.content.decode()
    assert not Erasure.objects.exists()

    right = client.post(_url(world, "erase/"), {"reason": "Her request", "confirm": "Amal Yusuf"})
    assert right.status_code == 302
    erasure = Erasure.objects.get()
    participant = Participant.objects.get(pk=world.case.participant_id)
    assert (participant.first_name, participant.last_name, participant.email) == ("[erased]", erasure.pseudonym, "")
    assert "erased" in client.get(_url(world, "")).content.decode()


def test_lead_sees_export_but_not_erasure(world, client_for):
    page = client_for(world.lead).get(_url(world, "")).content.decode()
    assert "Download as PDF" in page and "Erase for good" not in page
    assert (
        client_for(world.lead).post(_url(world, "erase/"), {"reason": "x", "confirm": "Amal Yusuf"}).status_code == 403
    )
    assert Participant.objects.get(pk=world.case.participant_id).first_name == "Amal"


def test_case_page_links_the_personal_data_page_for_those_who_may_open_it(world, client_for):
    link = f"/cases/{world.case.pk}/personal-data/"
    assert link in client_for(world.adviser).get(f"/cases/{world.case.pk}/").content.decode()
    assert link in client_for(world.manager).get(f"/cases/{world.case.pk}/").content.decode()
    assert link not in client_for(world.colleague).get(f"/cases/{world.case.pk}/").content.decode()


def test_consent_given_long_ago_is_shown_from_registration(world, client_for):
    Participant.objects.filter(pk=world.case.participant_id).update(
        consent_given_at=timezone.now() - timedelta(days=30), consent_text_version="1"
    )
    assert "version 1" in client_for(world.adviser).get(_url(world, "")).content.decode()


def test_staff_export_holds_only_the_cases_they_may_export_she_gets_all(world, client_for):
    from tests.factories import CaseFileFactory, ProgrammeFactory, RegionFactory

    elsewhere = RegionFactory(programme=ProgrammeFactory(name="Other programme", slug="other"), slug="other")
    CaseFileFactory(participant=world.case.participant, region=elsewhere)

    lead_export = json.loads(client_for(world.lead).get(_url(world, "export.json")).content)
    own_export = json.loads(client_for(world.participant).get("/my/data.json").content)

    assert [c["programme"] for c in lead_export["parts"]["cases"]] == ["Neem Test Programme"]
    assert sorted(c["programme"] for c in own_export["parts"]["cases"]) == ["Neem Test Programme", "Other programme"]


def test_committee_opening_an_application_and_the_lead_opening_a_loan_are_logged(client_for):
    from tests.loans.lending_world import approved_loan, lending_world

    w = lending_world()
    loan = approved_loan(w)
    assert client_for(w.committee).get(f"/loans/applications/{loan.application_id}/").status_code == 200
    assert client_for(w.lead).get(f"/loans/{loan.pk}/").status_code == 200
    assert list(AccessLog.objects.order_by("at", "id").values_list("user", "action")) == [
        (w.committee.pk, "view_application"),
        (w.lead.pk, "view_loan"),
    ]
