"""The caseload list: scoped, filtered, overdue first, paginated, in a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from coaching.models import Stage
from coaching.services import case_transition, next_action_add, note_add

from ..factories import CaseFileFactory, NextActionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [case.participant.full_name for case in response.context["page"].object_list]


def test_adviser_sees_her_own_cases_by_default(world, client_for):
    CaseFileFactory(region=world.north, adviser=world.colleague, participant__first_name="Colleagues")

    response = client_for(world.adviser).get("/cases/")

    assert response.status_code == 200
    assert names(response) == ["Amal Yusuf"]


def test_adviser_can_list_all_cases_of_her_region_but_not_of_others(world, client_for):
    CaseFileFactory(region=world.north, adviser=world.colleague, participant__first_name="Colleagues")

    response = client_for(world.adviser).get("/cases/", {"all": "1"})

    assert sorted(n.split()[0] for n in names(response)) == ["Amal", "Colleagues"]
    assert "Rania" not in response.content.decode()


def test_manager_lists_every_region(world, client_for):
    response = client_for(world.manager).get("/cases/")
    assert sorted(names(response)) == ["Amal Yusuf", "Rania Khalil"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "intake"}, ["Rania Khalil"]),
        ({"stage": "coaching"}, ["Amal Yusuf"]),
        ({"region": "south"}, ["Rania Khalil"]),
        ({"adviser": "adviser"}, ["Amal Yusuf"]),
        ({"adviser": "none"}, ["Nadia Unassigned"]),
        ({"q": "YUSÚF"}, ["Amal Yusuf"]),
        ({"q": "åmal yusuf"}, ["Amal Yusuf"]),
        ({"q": "amal@example"}, ["Amal Yusuf"]),
        ({"q": "070-000 00 42"}, ["Nadia Unassigned"]),
        ({"q": "+46700000042"}, ["Nadia Unassigned"]),
        ({"q": "nobody"}, []),
    ],
)
def test_filters(world, client_for, params, expected):
    CaseFileFactory(
        region=world.north,
        participant=ParticipantFactory(first_name="Nadia", last_name="Unassigned", phone="+46700000042"),
    )
    params = dict(params)
    if params.get("region") == "south":
        params["region"] = world.south.pk
    if params.get("adviser") == "adviser":
        params["adviser"] = world.adviser.pk

    response = client_for(world.manager).get("/cases/", params)

    assert response.status_code == 200
    assert sorted(names(response)) == expected


def test_closed_cases_are_hidden_unless_asked_for(world, client_for):
    CaseFileFactory(region=world.north, state=Stage.CLOSED, participant__first_name="Closed")
    client = client_for(world.lead)

    assert "Closed" not in " ".join(names(client.get("/cases/")))
    assert "Closed" in " ".join(names(client.get("/cases/", {"include_closed": "on"})))
    assert [n.split()[0] for n in names(client.get("/cases/", {"stage": "closed"}))] == ["Closed"]


def test_overdue_next_actions_come_first(world, client_for):
    today = date.today()
    soon = CaseFileFactory(region=world.north, participant__last_name="Aaa-soon")
    NextActionFactory(case=soon, due_date=today + timedelta(days=2))
    late = CaseFileFactory(region=world.north, participant__last_name="Zzz-late")
    NextActionFactory(case=late, due_date=today - timedelta(days=3))
    done_late = CaseFileFactory(region=world.north, participant__last_name="Bbb-done")
    NextActionFactory(case=done_late, due_date=today - timedelta(days=30), done_at="2026-01-01T10:00Z")
    world.action.due_date = today + timedelta(days=1)
    world.action.save()

    response = client_for(world.lead).get("/cases/", {"sort": "name"})

    listed = [case.participant.last_name for case in response.context["page"].object_list]
    assert listed[0] == "Zzz-late"
    assert listed[1:] == sorted(listed[1:])
    assert response.context["page"].object_list[0].overdue is True
    assert "badge-overdue" in response.content.decode()

    by_due = client_for(world.lead).get("/cases/")
    assert [c.participant.last_name for c in by_due.context["page"].object_list][:3] == [
        "Zzz-late",
        "Yusuf",
        "Aaa-soon",
    ]


@override_settings(NEEM_CASELOAD_PAGE_SIZE=3)
def test_pagination_keeps_the_filters(world, client_for):
    for index in range(6):
        CaseFileFactory(region=world.north, state=Stage.INTAKE, participant__last_name=f"Paged{index}")
    client = client_for(world.lead)

    first = client.get("/cases/", {"stage": "intake", "sort": "name"})
    second = client.get("/cases/", {"stage": "intake", "sort": "name", "page": "2"})

    assert first.context["page"].paginator.count == 6
    assert [c.participant.last_name for c in first.context["page"].object_list] == ["Paged0", "Paged1", "Paged2"]
    assert [c.participant.last_name for c in second.context["page"].object_list] == ["Paged3", "Paged4", "Paged5"]
    body = first.content.decode()
    assert "Page 1 of 2" in body
    assert "stage=intake" in body and "page=2" in body


def make_cases(world, count: int) -> None:
    for _ in range(count):
        case = CaseFileFactory(region=world.north, adviser=world.adviser, state=Stage.COACHING)
        NextActionFactory(case=case)


# The caseload page of a region lead (with her next-action panel) and of an adviser.
# session, user, scope, regions, advisers, my next actions, the navigation's "is she a participant?",
# the user's permissions and groups, and the first page of cases with their count (neem.pagination): 10,
# with 5 cases as with 15.
CASELOAD_QUERIES = {"lead": 10, "adviser": 10}


@pytest.mark.parametrize("who", ["lead", "adviser"])
def test_caseload_query_count_does_not_grow_with_the_cases(world, client_for, django_assert_num_queries, who):
    client = client_for(getattr(world, who))
    make_cases(world, 4)
    with django_assert_num_queries(CASELOAD_QUERIES[who]):
        response = client.get("/cases/")
    assert len(response.context["page"].object_list) == 5

    make_cases(world, 10)
    with django_assert_num_queries(CASELOAD_QUERIES[who]):
        response = client.get("/cases/")
    assert len(response.context["page"].object_list) == 15


# The overview (the other tabs: tests/coaching/test_case_tabs.py): session, user, scope, the case, the plan gate
# of the two steps on offer (2), the navigation's participant check, the user's permissions and groups (the
# editor link), actions, the latest notes, the latest events and the access log's row: 13 whatever the
# timeline's length. (Who changed what is on the case record; the adviser may edit her details because she
# works on this case, so her other cases are not read.)
CASE_PAGE_QUERIES = 13


def test_case_page_query_count_does_not_grow_with_the_timeline(world, client_for, django_assert_num_queries):
    client = client_for(world.adviser)
    case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")
    note_add(case=world.case, by=world.adviser, text="First note")
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(f"/cases/{world.case.pk}/")

    for index in range(6):
        note_add(case=world.case, by=world.lead, text=f"Note {index}")
    next_action_add(case=world.case, by=world.lead, title="Call her", due_date=timezone.localdate())
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(f"/cases/{world.case.pk}/")
    assert len(response.context["events"]) >= 9
    # The latest five notes, newest first, and a link to the rest on the case record.
    assert [note.text for note in response.context["notes"]] == [f"Note {index}" for index in (5, 4, 3, 2, 1)]
    body = response.content.decode()
    assert f'href="/cases/{world.case.pk}/record/#notes"' in body


# session, user, scope, the case, the navigation's participant check and the user's permissions and groups
# (the editor link), notes, events, the access log's row, the case's and the participant's history and the
# history of module sign-offs, the plan, loan applications and loans: 16 whatever the record's length.
CASE_RECORD_QUERIES = 16


def test_the_case_record_shows_every_note_the_timeline_and_who_changed_what(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.adviser)
    for index in range(3):
        note_add(case=world.case, by=world.adviser, text=f"Note {index}")
    with django_assert_num_queries(CASE_RECORD_QUERIES):
        client.get(f"/cases/{world.case.pk}/record/")
    for index in range(3, 8):
        note_add(case=world.case, by=world.adviser, text=f"Note {index}")
    case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")
    with django_assert_num_queries(CASE_RECORD_QUERIES):
        response = client.get(f"/cases/{world.case.pk}/record/")
    body = response.content.decode()
    assert all(f"Note {index}" in body for index in range(8))
    assert len(response.context["events"]) >= 9
    assert "Who changed what" in body
    assert any(change["model"] == "case file" for change in response.context["changes"])


# The rows as the caseload template wrote them before they were written in Python (coaching/templatetags/caseload.py).
ROWS_AS_TEMPLATE = """{% load i18n neem_format %}{% for case in cases %}
    <tr{% if case.overdue %} class="overdue"{% endif %}>
      <td><a href="{% url 'coaching:case_detail' case.pk %}">{{ case.participant.full_name }}</a></td>
      <td data-language="{{ case.participant.preferred_language }}">{{ case.participant.get_preferred_language_display }}{% if case.participant.needs_interpreter %} · <strong class="interpreter">{% translate "needs an interpreter" %}</strong>{% endif %}</td>
      <td><span class="stage stage-{{ case.state }}">{{ case.get_state_display }}</span></td>
      <td>{{ case.region }}</td>
      <td>{{ case.adviser|default:_("unassigned") }}</td>
      <td>{% if case.next_due %}<time datetime="{{ case.next_due.isoformat }}">{{ case.next_due|date:"SHORT_DATE_FORMAT" }}</time>{% if case.overdue %} <strong class="badge-overdue">{% translate "overdue" %}</strong>{% endif %}{% else %}—{% endif %}</td>
      <td>{{ case.participant.email }}{% if case.participant.email and case.participant.phone %}<br>{% endif %}{{ case.participant.phone|ltr }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "sv", "ar"])
def test_rows_are_written_as_the_template_wrote_them(world, language):
    from django.template import engines
    from django.utils.translation import override

    from coaching.models import CaseFile, Participant
    from coaching.templatetags.caseload import caseload_rows

    today = date(2026, 11, 30)
    people = [
        Participant(first_name="Amal <b>", last_name="Yusuf & Co", email="a@example.com", phone="+46701234567"),
        Participant(first_name="Rania", last_name="Haddad", preferred_language="ar", needs_interpreter=True),
        Participant(first_name="Lin", last_name="", email="", phone="+4681234567"),
    ]
    cases = []
    for i, (person, due, overdue, adviser) in enumerate(
        [
            (people[0], today - timedelta(days=3), True, world.adviser),
            (people[1], today + timedelta(days=2), False, None),
            (people[2], None, False, world.adviser),
        ]
    ):
        case = CaseFile(pk=100 + i, participant=person, region=world.north, adviser=adviser, state=Stage.INTAKE)
        case.next_due, case.overdue = due, overdue
        cases.append(case)
    with override(language):
        expected = engines["django"].from_string(ROWS_AS_TEMPLATE).render({"cases": cases})
        assert caseload_rows(cases) == expected


# "My next actions" as the caseload template wrote them before they were written in Python.
NEXT_ACTIONS_AS_TEMPLATE = """{% load i18n %}{% for action in next_actions %}
      <li{% if action.is_overdue %} class="overdue"{% endif %}><time datetime="{{ action.due_date.isoformat }}">{{ action.due_date|date:"SHORT_DATE_FORMAT" }}</time>
        {% if action.is_overdue %}<strong>{% translate "overdue" %}</strong>{% endif %}
        <a href="{% url 'coaching:case_detail' action.case_id %}#actions">{{ action.case.participant }}</a>: {{ action.title }}</li>
    {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "sv", "ar"])
def test_next_actions_are_written_as_the_template_wrote_them(language):
    from django.template import engines
    from django.utils.translation import override

    from coaching.models import CaseFile, NextAction, Participant
    from coaching.templatetags.caseload import next_action_items

    today = timezone.localdate()
    people = [Participant(first_name="Amal <b>", last_name="Yusuf & Co"), Participant(first_name="Lin", last_name="")]
    actions = []
    for i, (person, due, title) in enumerate(
        [
            (people[0], today - timedelta(days=3), "Call <her> & ask"),
            (people[1], today, 'Send the "budget" form'),
            (people[0], today + timedelta(days=5), "Visit"),
        ]
    ):
        case = CaseFile(pk=200 + i, participant=person, state=Stage.INTAKE)
        actions.append(NextAction(pk=300 + i, case=case, title=title, due_date=due))
    with override(language):
        expected = engines["django"].from_string(NEXT_ACTIONS_AS_TEMPLATE).render({"next_actions": actions})
        assert next_action_items(actions) == expected
