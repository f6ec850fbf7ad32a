"""Who sees which outcomes; evaluators see no one's name; exports are logged; the dashboard's query count is flat."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coaching.models import Attendance, CaseEvent, Session
from neem.models import Membership, Role
from outcomes.models import ExportLog, Indicator
from tests.factories import CaseFileFactory, ParticipantFactory, UserFactory

from .dataset import at, indicators_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluator(world):
    user = UserFactory(first_name="Elin", last_name="Evaluator")
    Membership.objects.create(user=user, programme=world.programme, role=Role.EVALUATOR)
    return user


@pytest.fixture
def with_indicators(world):
    return indicators_for(world.programme)


def mobilised_cell(body: str) -> str:
    row = body.split("Participants mobilised</th>", 1)[1]
    return row.split('class="outcomes-actual">', 1)[1].split("<", 1)[0]


@pytest.mark.parametrize(
    ("who", "count"), [("manager", "2"), ("lead", "1"), ("adviser", "1"), ("colleague", "1"), ("other_adviser", "1")]
)
def test_managers_see_the_programme_and_advisers_their_region(world, client_for, with_indicators, who, count):
    response = client_for(getattr(world, who)).get("/outcomes/")

    assert response.status_code == 200
    assert mobilised_cell(response.content.decode()) == count


def test_a_region_filter_outside_her_regions_does_not_widen_an_advisers_view(world, client_for, with_indicators):
    response = client_for(world.adviser).get(f"/outcomes/?region={world.south.pk}")

    assert response.status_code == 200
    assert mobilised_cell(response.content.decode()) == "1"


@pytest.mark.parametrize("who", ["participant", "committee", "administrator"])
def test_people_without_an_outcomes_role_are_refused(world, client_for, who):
    for url in ("/outcomes/", "/outcomes/export/indicators.csv", "/outcomes/export/participants.csv"):
        assert client_for(getattr(world, who)).get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world, client_for):
    response = client_for(None).get("/outcomes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def names_in(world) -> list[str]:
    people = [world.case.participant, world.other_case.participant]
    staff = [world.adviser, world.colleague, world.other_adviser, world.lead, world.manager]
    return (
        [p.first_name for p in people]
        + [p.last_name for p in people]
        + [p.email for p in people]
        + [p.phone for p in people]
        + [u.first_name for u in staff]
        + [u.email for u in staff]
    )


def test_an_evaluator_sees_the_dashboard_and_no_names(world, client_for, evaluator, with_indicators):
    client = client_for(evaluator)

    body = client.get("/outcomes/").content.decode()

    assert "Participants mobilised" in body
    for name in names_in(world):
        assert name not in body, name
    assert 'name="adviser"' not in body  # no filter by adviser: it would name staff
    # Two participants: every count is below 5, so suppressed for her.
    assert mobilised_cell(body) == "&lt;5"


def test_an_evaluator_gets_anonymised_exports_without_names(world, client_for, evaluator, with_indicators):
    client = client_for(evaluator)
    for url in ("/outcomes/export/participants.csv", "/outcomes/export/indicators.csv"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        for name in names_in(world):
            assert name not in text, (url, name)
    rows = list(csv.reader(io.StringIO(client.get("/outcomes/export/participants.csv").content.decode("utf-8-sig"))))
    assert rows[0][0] == "pseudonym"
    assert "1990" not in "".join(",".join(r) for r in rows)  # no birth dates, only bands
    assert len(rows) == 3


def test_an_evaluator_cannot_manage_or_import(world, client_for, evaluator):
    client = client_for(evaluator)
    assert client.get("/outcomes/indicators/").status_code == 403
    assert client.get("/outcomes/import/").status_code == 403
    assert (
        client.post(
            "/outcomes/indicators/", {"kind": "mobilised", "label": "x", "unit": "count", "target_min": 1}
        ).status_code
        == 403
    )
    assert not Indicator.objects.exists()


def test_the_pseudonym_is_stable_and_the_xlsx_has_the_same_rows(world, client_for):
    client = client_for(world.manager)
    first = client.get("/outcomes/export/participants.csv").content.decode("utf-8-sig")
    second = client.get("/outcomes/export/participants.csv").content.decode("utf-8-sig")
    assert first == second
    workbook = load_workbook(io.BytesIO(client.get("/outcomes/export/participants.xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert len(sheet_rows) == 3
    assert {row[0] for row in sheet_rows[1:]} == {line.split(",")[0] for line in first.splitlines()[1:]}


def test_advisers_get_indicator_exports_but_not_the_participant_table(world, client_for, with_indicators):
    client = client_for(world.adviser)
    assert client.get("/outcomes/export/indicators.xlsx").status_code == 200
    assert client.get("/outcomes/export/participants.csv").status_code == 403


def test_every_export_is_logged(world, client_for, with_indicators):
    client = client_for(world.manager)

    client.get(f"/outcomes/export/participants.csv?region={world.north.pk}")
    client.get("/outcomes/export/indicators.csv")

    personal, aggregated = ExportLog.objects.order_by("id")
    assert (personal.user, personal.what, personal.personal, personal.row_count) == (
        world.manager,
        "participants_csv",
        True,
        1,
    )
    assert personal.filters == {"region": world.north.pk}
    assert personal.programme == world.programme
    assert (aggregated.what, aggregated.personal) == ("indicators_csv", False)


def test_indicator_exports_suppress_small_cells_for_everyone(world, client_for, with_indicators):
    text = client_for(world.manager).get("/outcomes/export/indicators.csv").content.decode("utf-8-sig")
    mobilised = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "Participants mobilised" and r[1] == "all")
    assert mobilised[3] == "<5"


def test_the_pdf_report_renders_with_its_charts(world, client_for, with_indicators):
    response = client_for(world.manager).get("/outcomes/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert ExportLog.objects.filter(what="report_pdf").count() == 1


def test_a_manager_adds_and_changes_an_indicator(world, client_for):
    client = client_for(world.manager)

    response = client.post(
        "/outcomes/indicators/",
        {"kind": "women", "label": "Women", "unit": "percent", "target_min": "80", "order": 1, "active": "on"},
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.programme, indicator.kind, indicator.target_min) == (world.programme, "women", 80)
    response = client.post(
        f"/outcomes/indicators/{indicator.pk}/",
        {"kind": "women", "label": "Women", "unit": "percent", "target_min": "80", "target_max": "70", "order": 1},
    )
    assert response.status_code == 200
    assert "The upper bound must be at least the lower bound." in response.content.decode()


def test_a_number_kind_cannot_be_a_share(world, client_for):
    response = client_for(world.manager).post(
        "/outcomes/indicators/",
        {"kind": "coaching_hours", "label": "Hours", "unit": "percent", "target_min": "40", "order": 1},
    )
    assert response.status_code == 200
    assert "This kind is a number, not a share." in response.content.decode()


def test_navigation_shows_outcomes_to_the_roles_that_read_them(world, client_for, evaluator):
    assert 'href="/outcomes/"' in client_for(world.adviser).get("/cases/").content.decode()
    assert 'href="/outcomes/"' in client_for(evaluator).get("/outcomes/").content.decode()
    assert client_for(evaluator).get("/home/")["Location"] == "/outcomes/"


def _grow(world, n: int) -> None:
    session = Session.objects.create(
        region=world.north, starts_at=at("2026-02-01"), duration_minutes=60, topic="x", place="y"
    )
    for i in range(n):
        case = CaseFileFactory(
            participant=ParticipantFactory(gender="woman" if i % 2 else "man"),
            region=world.north if i % 2 else world.south,
            state="coaching",
        )
        CaseEvent.objects.create(case=case, kind="transition", from_state="intake", to_state="coaching")
        Attendance.objects.create(session=session, case=case, status="present")


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/outcomes/").status_code == 200
    return len(queries)


def test_the_dashboard_query_count_does_not_grow_with_the_cases(world, client_for, with_indicators):
    client = client_for(world.manager)
    _grow(world, 3)  # 5 cases
    few = _dashboard_queries(client)
    _grow(world, 20)  # 25 cases
    many = _dashboard_queries(client)

    assert few == many
    # The figures read a per-case table (outcomes.metrics: 12 queries, shared by the indicator table and the four
    # breakdowns, which were one aggregate query each) and the funnel's counts take two queries (were one): 8 more
    # than the 24 of the correlated subqueries, constant by design.
    assert many <= 32
