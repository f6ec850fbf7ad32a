"""Importing participants: column mapping, a dry run with per-row errors and duplicates, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from coaching.models import CaseEvent, CaseFile, Participant
from outcomes.importer import SESSION_KEY

pytestmark = pytest.mark.django_db

HEADER = "First name;Last name;E-mail;Phone;Date of birth;Gender;Foreign background;Region;Stage;Outcome\n"
GOOD = [
    "Sahra;Ali;sahra@example.org;+46701112233;1988-02-03;woman;yes;North;coaching;\n",
    "Nadia;Omar;;;1979-11-30;F;ja;south;Closed;company started\n",
]
BAD = [
    "Hiba;Saleh;not-an-email;+46701112244;1990-13-45;woman;yes;Atlantis;dreaming;\n",
    "Lina;Haddad;lina@example.org;12;;woman;maybe;North;closed;\n",
]


def upload(client, text: str, name: str = "people.csv"):
    return client.post("/outcomes/import/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def columns(**extra) -> dict:
    """The guessed mapping, as the form posts it (the headings match the fields' labels)."""
    mapping = {
        "first_name": "0",
        "last_name": "1",
        "email": "2",
        "phone": "3",
        "date_of_birth": "4",
        "gender": "5",
        "foreign_background": "6",
        "residence_permit": "",
        "household_income": "",
        "region": "7",
        "stage": "8",
        "outcome": "9",
        "opened_at": "",
    }
    return mapping | extra


def test_the_upload_is_kept_in_the_session_and_the_columns_are_guessed(world, client_for):
    client = client_for(world.manager)

    response = upload(client, HEADER + GOOD[0])

    assert response.status_code == 302
    assert client.session[SESSION_KEY]["rows"][0][:2] == ["Sahra", "Ali"]
    page = client.get("/outcomes/import/columns/").content.decode()
    assert '<option value="7" selected>Region</option>' in page


def test_the_dry_run_lists_every_rows_errors_and_creates_nothing(world, client_for):
    client = client_for(world.manager)
    upload(client, HEADER + GOOD[0] + BAD[0] + BAD[1])

    body = client.post("/outcomes/import/columns/", columns(action="dry_run")).content.decode()

    assert "3 rows: 2 with errors" in body
    for message in (
        "E-mail “not-an-email” is not a valid address.",
        "Date “1990-13-45” is not a date",
        "Unknown region “Atlantis”.",
        "Unknown stage “dreaming”.",
        "Phone “12” is not a valid number.",
        "Foreign background must be yes or no",
        "A closed case needs a known outcome.",
    ):
        assert message in body, message
    assert Participant.objects.count() == 2


def test_one_bad_row_means_nothing_is_imported(world, client_for):
    client = client_for(world.manager)
    upload(client, HEADER + GOOD[0] + GOOD[1] + BAD[0])

    response = client.post("/outcomes/import/columns/", columns(action="apply"))

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert Participant.objects.count() == 2
    assert CaseFile.objects.count() == 2


def test_duplicates_are_found_and_imported_only_when_confirmed(world, client_for):
    client = client_for(world.manager)
    again = "Amal;Yusuf;AMAL@example.net;;;woman;yes;North;intake;\n"
    upload(client, HEADER + again + GOOD[0] + GOOD[0].replace("Sahra", "Sarah"))

    body = client.post("/outcomes/import/columns/", columns(action="dry_run")).content.decode()
    assert "Looks like Amal Yusuf, already registered." in body
    assert "Same person as row 3 of this file." in body

    client.post("/outcomes/import/columns/", columns(action="apply"))
    assert Participant.objects.count() == 2

    response = client.post("/outcomes/import/columns/", columns(action="apply", allow_duplicates="on"))
    assert response.status_code == 302
    assert Participant.objects.count() == 5


def test_apply_creates_people_with_cases_in_their_stage_and_an_imported_line(world, client_for):
    client = client_for(world.manager)
    upload(client, HEADER + "".join(GOOD))

    response = client.post("/outcomes/import/columns/", columns(action="apply"))

    assert response.status_code == 302
    sahra = CaseFile.objects.get(participant__first_name="Sahra")
    nadia = CaseFile.objects.get(participant__first_name="Nadia")
    assert (sahra.state, sahra.region, sahra.programme) == ("coaching", world.north, world.programme)
    assert (nadia.state, nadia.outcome, nadia.region) == ("closed", "company_started", world.south)
    assert nadia.closed_at is not None
    assert nadia.participant.foreign_background is True
    event = CaseEvent.objects.get(case=sahra)
    assert (event.kind, event.to_state, event.transition, event.data["imported"]) == (
        "opened",
        "coaching",
        "imported",
        True,
    )
    assert event.actor == world.manager
    assert SESSION_KEY not in client.session


def test_an_xlsx_file_is_read_too(world, client_for):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Region", "Stage"])
    sheet.append(["Hawa", "Noor", "north", "mobilised"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(world.manager)

    client.post("/outcomes/import/", {"file": SimpleUploadedFile("people.xlsx", buffer.getvalue())})
    mapping = {
        **dict.fromkeys(columns(), ""),
        "first_name": "0",
        "last_name": "1",
        "region": "2",
        "stage": "3",
        "action": "apply",
    }
    response = client.post("/outcomes/import/columns/", mapping)

    assert response.status_code == 302
    assert CaseFile.objects.get(participant__first_name="Hawa").state == "mobilised"


def test_a_file_that_is_too_large_or_not_a_spreadsheet_is_refused(world, client_for):
    client = client_for(world.manager)
    big = HEADER + GOOD[0] * (2 * 1024 * 1024 // len(GOOD[0]) + 1)

    assert "larger than 2 MB" in upload(client, big).content.decode()
    assert "Upload a CSV or XLSX file." in upload(client, "x", name="people.txt").content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("who", ["lead", "adviser", "committee", "participant"])
def test_only_managers_import(world, client_for, who):
    client = client_for(getattr(world, who))
    assert upload(client, HEADER + GOOD[0]).status_code == 403
    assert client.get("/outcomes/import/columns/").status_code == 403
    assert Participant.objects.count() == 2
