"""Volunteer mentors see only their own mentees' names, stages and meeting log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching import mentoring_services as svc
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, MentorMeeting, Stage
from neem.models import Role

from .curriculum_fixtures import World, make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    w.mentor = make_user("mentor@example.com", role=Role.MENTOR, programme=w.programme)
    w.case = make_case(w.region, adviser=w.adviser, state=Stage.COACHING, first_name="Amal")
    w.other = make_case(w.region, adviser=w.adviser, state=Stage.COACHING, first_name="Selam")
    w.match = svc.mentor_match(case=w.case, mentor=w.mentor, by=w.adviser)
    return w


def test_mentor_lands_on_her_page_and_sees_only_her_mentees(world, client):
    client.force_login(world.mentor)

    assert client.get("/home/").url == "/mentor/"
    page = client.get("/mentor/").content.decode()
    assert world.case.participant.full_name in page
    assert "Coaching" in page
    assert world.other.participant.full_name not in page
    assert world.case.participant.phone not in page or not world.case.participant.phone


def test_mentor_cannot_open_case_pages(world, client):
    client.force_login(world.mentor)

    assert client.get(f"/cases/{world.case.pk}/").status_code == 404
    assert client.get(f"/cases/{world.case.pk}/modules/").status_code == 404
    assert client.get("/cases/").status_code == 403
    assert client.get("/sessions/").status_code == 403


def test_mentor_logs_a_meeting_with_her_mentee(world, client):
    client.force_login(world.mentor)
    day = timezone.localdate() - timedelta(days=1)

    response = client.post(
        f"/mentor/matches/{world.match.pk}/meetings/",
        {
            f"m{world.match.pk}-date": day.isoformat(),
            f"m{world.match.pk}-topic": "Pricing",
            f"m{world.match.pk}-note": "Good",
        },
    )

    assert response.status_code == 302
    meeting = MentorMeeting.objects.get()
    assert (meeting.date, meeting.topic, meeting.note) == (day, "Pricing", "Good")
    assert CaseEvent.objects.filter(case=world.case, kind=CaseEvent.Kind.MENTORING, data__meeting=meeting.pk).exists()
    assert svc.has_taken_part_in_mentoring(world.case)


def test_mentor_cannot_log_meetings_for_someone_elses_mentee(world, client):
    other_mentor = make_user(role=Role.MENTOR, programme=world.programme)
    other_match = svc.mentor_match(case=world.other, mentor=other_mentor, by=world.adviser)
    client.force_login(world.mentor)

    response = client.post(
        f"/mentor/matches/{other_match.pk}/meetings/",
        {f"m{other_match.pk}-date": timezone.localdate().isoformat(), f"m{other_match.pk}-topic": "x"},
    )

    assert response.status_code == 404
    with pytest.raises(NotAllowed):
        svc.mentor_meeting_log(match_id=other_match.pk, by=world.mentor, date=timezone.localdate(), topic="x")
    assert not MentorMeeting.objects.exists()


def test_meeting_errors_show_next_to_the_field(world, client):
    client.force_login(world.mentor)

    response = client.post(
        f"/mentor/matches/{world.match.pk}/meetings/", {f"m{world.match.pk}-date": "", f"m{world.match.pk}-topic": ""}
    )

    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_ended_match_disappears_from_the_mentor_page(world, client):
    svc.mentor_match_end(match_id=world.match.pk, by=world.adviser)
    client.force_login(world.mentor)

    assert world.case.participant.full_name not in client.get("/mentor/").content.decode()
    with pytest.raises(Refused):
        svc.mentor_meeting_log(match_id=world.match.pk, by=world.mentor, date=timezone.localdate(), topic="x")


def test_only_mentors_of_the_programme_can_be_matched(world):
    not_a_mentor = make_user()

    with pytest.raises(Refused):
        svc.mentor_match(case=world.other, mentor=not_a_mentor, by=world.adviser)


def test_only_the_adviser_or_lead_matches(world):
    with pytest.raises(NotAllowed):
        svc.mentor_match(case=world.other, mentor=world.mentor, by=world.manager)


def test_mentoring_requirement_follows_the_programme_setting(world):
    assert svc.mentoring_requirement_met(world.case)
    world.programme.require_mentoring_before_loan = True
    world.programme.save()
    case = type(world.case).objects.select_related("programme").get(pk=world.case.pk)

    assert not svc.mentoring_requirement_met(case)
    svc.mentor_meeting_log(match_id=world.match.pk, by=world.mentor, date=timezone.localdate(), topic="Start")
    assert svc.mentoring_requirement_met(case)


def test_adviser_matches_from_the_case_page(world, client):
    client.force_login(world.adviser)

    assert "Match with a mentor" in client.get(f"/cases/{world.other.pk}/", {"tab": "coaching"}).content.decode()
    response = client.post(f"/cases/{world.other.pk}/mentor/", {"mentor": world.mentor.pk, "started_on": ""})

    assert response["Location"] == f"/cases/{world.other.pk}/?tab=coaching#modules"
    assert world.other.mentor_matches.filter(mentor=world.mentor).exists()
