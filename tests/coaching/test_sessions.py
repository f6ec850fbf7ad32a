"""Sessions, attendance and the hours funders ask for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching import curriculum_selectors as cs
from coaching import session_services as svc
from coaching.errors import NotAllowed, Refused
from coaching.models import Attendance, NextAction, Session, Stage

from .curriculum_fixtures import World, make_case, make_region, make_user

pytestmark = pytest.mark.django_db

P, A, E = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


@pytest.fixture
def world():
    w = World()
    w.cases = [make_case(w.region, adviser=w.adviser, state=Stage.COACHING, first_name=f"P{i}") for i in range(3)]
    w.cohort = svc.cohort_save(
        by=w.adviser, region=w.region, name="Spring", starts_on=timezone.localdate(), case_ids=[c.pk for c in w.cases]
    )
    return w


def plan(world, *, days_ago=1, minutes=120, **extra):
    data = {
        "kind": Session.Kind.GROUP,
        "cohort": world.cohort,
        "starts_at": timezone.now() - timedelta(days=days_ago),
        "duration_minutes": minutes,
        "place": "Kista library",
        "adviser": world.adviser,
        "topic": "Pricing",
        **extra,
    }
    return svc.session_save(by=world.adviser, region=world.region, data=data)


def test_hours_sum_only_sessions_where_she_was_present(world):
    amina, berhane, carmen = world.cases
    first = plan(world, minutes=120)
    second = plan(world, minutes=90, days_ago=2)
    third = plan(world, minutes=45, days_ago=3)
    svc.attendance_record(by=world.adviser, session_id=first.pk, statuses={amina.pk: P, berhane.pk: A, carmen.pk: E})
    svc.attendance_record(by=world.adviser, session_id=second.pk, statuses={amina.pk: P, berhane.pk: P})
    svc.attendance_record(by=world.adviser, session_id=third.pk, statuses={amina.pk: E})

    assert cs.present_minutes(amina) == 210
    assert cs.attendance_summary(amina) == {"present": 2, "absent": 0, "excused": 1, "minutes": 210, "hours": 3.5}
    assert cs.attendance_summary(carmen)["hours"] == 0
    assert cs.hours_by_case(world.cases[0].__class__.objects.all()) == {amina.pk: 210, berhane.pk: 90}


def test_attendance_is_one_row_per_session_and_participant_and_can_be_corrected(world):
    amina = world.cases[0]
    session = plan(world)
    svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={amina.pk: A})
    svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={amina.pk: P})

    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == [P]
    svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={amina.pk: ""})
    assert not Attendance.objects.filter(session=session).exists()


def test_attendance_cannot_be_taken_before_the_session(world):
    session = plan(world, days_ago=-2)

    with pytest.raises(Refused):
        svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={world.cases[0].pk: P})


def test_only_participants_of_the_session_can_be_marked(world):
    stranger = make_case(world.region, adviser=world.adviser, state=Stage.INTAKE)
    session = plan(world)

    with pytest.raises(Refused):
        svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={stranger.pk: P})


def test_advisers_of_another_region_cannot_take_attendance(world):
    other_region = make_region(world.programme, "Örebro")
    outsider = make_user(role="adviser", region=other_region)
    session = plan(world)

    with pytest.raises(NotAllowed):
        svc.attendance_record(by=outsider, session_id=session.pk, statuses={world.cases[0].pk: P})


def test_individual_session_puts_take_attendance_on_the_case_until_it_is_taken(world):
    amina = world.cases[0]
    session = plan(world, kind=Session.Kind.INDIVIDUAL, case=amina, cohort=None, days_ago=3)

    action = NextAction.objects.get(pk=session.next_action_id)
    assert action.case_id == amina.pk and action.is_overdue()
    svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={amina.pk: P})
    assert NextAction.objects.get(pk=action.pk).done_at is not None


def test_session_list_queries_do_not_grow_with_sessions(world, client):
    client.force_login(world.adviser)
    plan(world)
    plan(world, days_ago=-3)
    client.get("/sessions/")  # warm up caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sessions/").status_code == 200
    for days in range(2, 12):
        session = plan(world, days_ago=days, module=world.curriculum.modules.first())
        svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={world.cases[0].pk: P})
    plan(world, kind=Session.Kind.INDIVIDUAL, case=world.cases[1], cohort=None, days_ago=-1)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/sessions/")
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_attendance_form_queries_do_not_grow_with_the_group(world, client):
    client.force_login(world.adviser)
    session = plan(world)
    client.post(f"/sessions/{session.pk}/", {f"case_{c.pk}": P for c in world.cases})
    with CaptureQueriesContext(connection) as few:
        client.post(f"/sessions/{session.pk}/", {f"case_{c.pk}": A for c in world.cases})
    more = [make_case(world.region, adviser=world.adviser, state=Stage.COACHING) for _ in range(8)]
    svc.cohort_save(
        by=world.adviser,
        region=world.region,
        name="Spring",
        starts_on=world.cohort.starts_on,
        case_ids=[c.pk for c in world.cases + more],
        cohort=world.cohort,
    )
    svc.attendance_record(by=world.adviser, session_id=session.pk, statuses={c.pk: P for c in more})
    with CaptureQueriesContext(connection) as many:
        response = client.post(f"/sessions/{session.pk}/", {f"case_{c.pk}": A for c in world.cases + more})
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, status=A).count() == 11
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/sessions/{session.pk}/").status_code == 200
    assert len(page) <= 12


def test_session_pages_render_for_the_adviser(world, client):
    client.force_login(world.adviser)
    session = plan(world)

    assert client.get("/sessions/new/").status_code == 200
    assert client.get(f"/sessions/{session.pk}/edit/").status_code == 200
    assert client.get("/sessions/cohorts/").status_code == 200
    assert client.get(f"/sessions/cohorts/{world.cohort.pk}/").status_code == 200
    response = client.post(
        "/sessions/new/",
        {
            "region": world.region.pk,
            "kind": "group",
            "topic": "Budget workshop",
            "cohort": world.cohort.pk,
            "starts_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "place": "",
            "video_url": "",
            "adviser": world.adviser.pk,
        },
    )
    assert response.status_code == 200
    assert "Give a place or a video link." in response.content.decode()


def test_a_participant_cannot_see_sessions(world, client):
    client.force_login(make_user())

    assert client.get("/sessions/").status_code == 403
