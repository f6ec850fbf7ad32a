"""Notes, today, hand-over, duplicates and merges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching import selectors, services
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile, NextAction, Note, Participant
from tests.casework_world import build_world, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def login(client, user):
    client.force_login(user)
    return client


# --- Notes -------------------------------------------------------------------------------------


def test_confidential_note_is_seen_only_by_assigned_adviser_and_region_lead(world, client):
    case = make_case(world, adviser=world.adviser)
    services.note_add(case=case, by=world.adviser, text="Sensitive: health matters", confidential=True)
    services.note_add(case=case, by=world.adviser, text="Ordinary progress note")

    for user, sees in [
        (world.adviser, True),
        (world.lead, True),
        (world.adviser2, False),
        (world.manager, False),
        (world.admin, False),
    ]:
        body = login(client, user).get(f"/cases/{case.pk}/").content.decode()
        assert "Ordinary progress note" in body
        assert ("Sensitive: health matters" in body) is sees, user.email
    # The timeline never carries a confidential note's text.
    assert not CaseEvent.objects.filter(case=case, note__contains="Sensitive").exists()


def test_confidential_note_cannot_be_opened_by_direct_url(world, client):
    case = make_case(world, adviser=world.adviser)
    note = services.note_add(case=case, by=world.adviser, text="Secret", confidential=True)
    response = login(client, world.adviser2).get(f"/cases/{case.pk}/notes/{note.pk}/correct/")
    assert response.status_code == 404


def test_author_edits_a_note_within_24_hours(world, client):
    case = make_case(world, adviser=world.adviser)
    note = services.note_add(case=case, by=world.adviser, text="First version")
    response = login(client, world.adviser).post(f"/cases/{case.pk}/notes/{note.pk}/edit/", {"text": "Fixed typo"})
    assert response.status_code == 302
    note = Note.objects.get(pk=note.pk)
    assert note.text == "Fixed typo"
    assert note.edited_at is not None
    assert note.history.count() == 2  # the old wording is kept in the history


def test_note_older_than_24_hours_is_not_edited_a_correction_is_added(world, client):
    case = make_case(world, adviser=world.adviser)
    note = services.note_add(case=case, by=world.adviser, text="Met on Monday")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=25))

    with pytest.raises(Refused):
        services.note_edit(note_id=note.pk, by=world.adviser, text="changed")

    login(client, world.adviser).post(f"/cases/{case.pk}/notes/{note.pk}/edit/", {"text": "It was Tuesday"})
    assert Note.objects.get(pk=note.pk).text == "Met on Monday"
    correction = Note.objects.get(corrects=note)
    assert correction.text == "It was Tuesday"


def test_another_adviser_cannot_edit_someone_elses_note(world):
    case = make_case(world, adviser=world.adviser)
    note = services.note_add(case=case, by=world.lead, text="Lead's note")
    with pytest.raises(NotAllowed):
        services.note_edit(note_id=note.pk, by=world.adviser, text="mine now")


# --- Today -------------------------------------------------------------------------------------


def test_today_lists_my_actions_across_cases_grouped(world, client):
    today = timezone.localdate()
    a = make_case(world, adviser=world.adviser, first="Layla", last="Khalil")
    b = make_case(world, adviser=world.adviser, first="Noor", last="Jaber")
    other = make_case(world, adviser=world.adviser2, first="Selam", last="Tesfaye")
    NextAction.objects.create(case=a, title="Call her", due_date=today - timedelta(days=2), owner=world.adviser)
    NextAction.objects.create(case=b, title="Review budget", due_date=today, owner=world.adviser)
    NextAction.objects.create(case=b, title="Study visit", due_date=today + timedelta(days=3), owner=world.adviser)
    NextAction.objects.create(case=other, title="Not mine", due_date=today, owner=world.adviser2)

    groups = selectors.today_actions(world.adviser)
    assert [x.title for x in groups["overdue"]] == ["Call her"]
    assert [x.title for x in groups["today"]] == ["Review budget"]
    assert [x.title for x in groups["upcoming"]] == ["Study visit"]
    body = login(client, world.adviser).get("/today/").content.decode()
    assert "Call her" in body and "Not mine" not in body


# --- Hand-over ---------------------------------------------------------------------------------


def test_lead_hands_over_fifty_cases_in_one_request_with_constant_queries(world, client):
    cases = [make_case(world, adviser=world.adviser, first=f"P{i}", last="Test") for i in range(50)]
    make_case(world, adviser=world.adviser2, first="Existing", last="Load")
    login(client, world.lead)
    with CaptureQueriesContext(connection) as fifty:
        response = client.post(
            f"/teams/{world.north.pk}/hand-over/",
            {
                "from_adviser": world.adviser.pk,
                "cases": [c.pk for c in cases],
                "to_advisers": [world.adviser2.pk],
                "balance": "on",
            },
        )
    assert response.status_code == 302
    assert CaseFile.objects.filter(adviser=world.adviser2).count() == 51
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.HANDOVER).count() == 50

    few = [make_case(world, adviser=world.adviser2, first=f"Q{i}", last="Test") for i in range(3)]
    with CaptureQueriesContext(connection) as three:
        client.post(
            f"/teams/{world.north.pk}/hand-over/",
            {
                "from_adviser": world.adviser2.pk,
                "cases": [c.pk for c in few],
                "to_advisers": [world.adviser.pk],
                "balance": "on",
            },
        )
    assert CaseFile.objects.filter(adviser=world.adviser, pk__in=[c.pk for c in few]).count() == 3
    assert len(fifty.captured_queries) == len(three.captured_queries)


def test_hand_over_balances_by_current_caseload(world):
    from neem.models import Membership, Role
    from tests.casework_world import make_user

    third = make_user("third@t.example", "Third", "Adviser")
    Membership.objects.create(user=third, programme=world.programme, region=world.north, role=Role.ADVISER)
    for i in range(4):
        make_case(world, adviser=world.adviser2, first=f"Old{i}", last="Load")
    leaving = [make_case(world, adviser=world.adviser, first=f"L{i}", last="Leaving") for i in range(6)]

    result = services.cases_hand_over(
        by=world.lead,
        region=world.north,
        case_ids=[c.pk for c in leaving],
        to_advisers=[world.adviser2, third],
        balance=True,
    )
    # adviser2 starts with 4, third with 0: the six go so that both end with 5.
    assert result == {world.adviser2.pk: 1, third.pk: 5}


def test_adviser_cannot_hand_over_and_cases_from_other_region_are_refused(world, client):
    case = make_case(world, adviser=world.adviser)
    south_case = make_case(world, region=world.south, adviser=world.south_adviser)
    with pytest.raises(NotAllowed):
        services.cases_hand_over(
            by=world.adviser, region=world.north, case_ids=[case.pk], to_advisers=[world.adviser2], balance=False
        )
    with pytest.raises(Refused):
        services.cases_hand_over(
            by=world.lead,
            region=world.north,
            case_ids=[case.pk, south_case.pk],
            to_advisers=[world.adviser2],
            balance=False,
        )
    assert CaseFile.objects.get(pk=case.pk).adviser == world.adviser
    assert login(client, world.adviser).get(f"/teams/{world.north.pk}/hand-over/").status_code == 404
    assert login(client, world.south_lead).get(f"/teams/{world.north.pk}/hand-over/").status_code == 404


# --- Duplicates and merges --------------------------------------------------------------------


def test_duplicates_page_lists_exact_and_similar_names(world, client):
    make_case(world, first="Amina", last="Hassan", email="amina@example.org")
    make_case(world, first="Amina", last="Hasan", email="AMINA@example.org")
    make_case(world, first="Fatuma", last="Abdi", date_of_birth=date(1990, 3, 1))
    make_case(world, first="Fatuma", last="Abdy", date_of_birth=date(1990, 9, 9))
    make_case(world, first="Fatuma", last="Abdii", date_of_birth=date(1985, 1, 1))  # other year: not similar
    make_case(world, region=world.south, first="Selam", last="Tesfaye", phone="070-111 22 33")
    make_case(world, region=world.south, first="S.", last="Tesfaye", phone="+46701112233")

    pairs = selectors.duplicate_pairs(world.lead)
    names = {(p.first.full_name, p.second.full_name) for p in pairs}
    assert ("Amina Hassan", "Amina Hasan") in names
    assert ("Fatuma Abdi", "Fatuma Abdy") in names
    assert not any("Abdii" in a + b for a, b in names)
    assert not any("Tesfaye" in a for a, _b in names)  # another region
    assert login(client, world.lead).get("/duplicates/").status_code == 200
    assert login(client, world.adviser).get("/duplicates/").status_code == 403


def test_merge_moves_every_row_and_logs_on_the_timeline(world, client):
    keep_case = make_case(world, adviser=world.adviser, state="coaching", first="Amina", last="Hassan")
    dup_case = make_case(world, adviser=world.adviser2, state="intake", first="Amina", last="Hasan", phone="0701234567")
    services.note_add(case=keep_case, by=world.adviser, text="kept note")
    services.note_add(case=dup_case, by=world.adviser2, text="duplicate note")
    NextAction.objects.create(case=dup_case, title="Call", due_date=timezone.localdate(), owner=world.adviser2)
    CaseEvent.objects.create(case=dup_case, kind=CaseEvent.Kind.TRANSITION, from_state="mobilised", to_state="intake")
    before = {
        "notes": Note.objects.count(),
        "actions": NextAction.objects.count(),
        "events": CaseEvent.objects.count(),
        "participants": Participant.objects.count(),
    }

    response = login(client, world.lead).post(
        f"/duplicates/{keep_case.participant_id}/{dup_case.participant_id}/merge/",
        {f"winner_{world.programme.pk}": "keep"},
    )
    assert response.status_code == 302

    assert Note.objects.count() == before["notes"]
    assert NextAction.objects.count() == before["actions"]
    assert CaseEvent.objects.count() == before["events"] + 1  # plus the merge line
    assert Participant.objects.count() == before["participants"]  # the duplicate is retired, not deleted
    winner = CaseFile.objects.get(pk=keep_case.pk)
    assert winner.state == "coaching"
    assert set(winner.notes.values_list("text", flat=True)) == {"kept note", "duplicate note"}
    assert winner.events.filter(kind=CaseEvent.Kind.MERGED).count() == 1
    assert winner.events.filter(to_state="intake").exists()  # the other case's history is on the timeline
    assert not CaseFile.objects.filter(pk=dup_case.pk).exists()
    retired = Participant.objects.get(pk=dup_case.participant_id)
    assert retired.merged_into_id == keep_case.participant_id
    assert Participant.objects.get(pk=keep_case.participant_id).phone == "+46701234567"


def test_merge_where_the_duplicates_stage_wins(world):
    keep_case = make_case(world, adviser=world.adviser, state="intake")
    dup_case = make_case(world, adviser=world.adviser2, state="business_plan", first="Amina", last="Hasan")
    services.participants_merge(
        by=world.lead,
        keep_id=keep_case.participant_id,
        duplicate_id=dup_case.participant_id,
        winners={world.programme.pk: "duplicate"},
    )
    winner = CaseFile.objects.get(pk=dup_case.pk)
    assert winner.participant_id == keep_case.participant_id
    assert winner.state == "business_plan"
    assert not CaseFile.objects.filter(pk=keep_case.pk).exists()


def test_merge_needs_a_choice_when_both_have_a_case_and_changes_nothing_without(world):
    keep_case = make_case(world, adviser=world.adviser)
    dup_case = make_case(world, adviser=world.adviser2, first="Amina", last="Hasan")
    with pytest.raises(Refused):
        services.participants_merge(
            by=world.lead, keep_id=keep_case.participant_id, duplicate_id=dup_case.participant_id
        )
    assert CaseFile.objects.filter(pk=dup_case.pk).exists()
    assert Participant.objects.get(pk=dup_case.participant_id).merged_into_id is None


def test_only_the_lead_of_every_case_may_merge(world, client):
    keep_case = make_case(world, adviser=world.adviser)
    dup_case = make_case(world, region=world.south, adviser=world.south_adviser, first="Amina", last="Hasan")
    with pytest.raises(NotAllowed):
        services.participants_merge(
            by=world.lead,
            keep_id=keep_case.participant_id,
            duplicate_id=dup_case.participant_id,
            winners={world.programme.pk: "keep"},
        )
    response = login(client, world.adviser).post(
        f"/duplicates/{keep_case.participant_id}/{dup_case.participant_id}/merge/",
        {f"winner_{world.programme.pk}": "keep"},
    )
    assert response.status_code == 404
    assert CaseFile.objects.filter(pk=dup_case.pk).exists()


def test_dismissed_pair_is_no_longer_listed(world, client):
    a = make_case(world, first="Amina", last="Hassan", email="a@example.org")
    b = make_case(world, first="Amina", last="Hassan", email="a@example.org")
    assert len(selectors.duplicate_pairs(world.lead)) == 1
    login(client, world.lead).post(f"/duplicates/{a.participant_id}/{b.participant_id}/dismiss/")
    assert selectors.duplicate_pairs(world.lead) == []


def test_merge_moves_what_other_apps_hang_on_the_case(world):
    from participants.models import Message
    from portfolio.models import FollowUpVisit

    keep_case = make_case(world, adviser=world.adviser, state="follow_up")
    dup_case = make_case(world, adviser=world.adviser2, state="intake", first="Amina", last="Hasan")
    message = Message.objects.create(case=dup_case, author=world.adviser2, text="Bring your permit")
    visit = FollowUpVisit.objects.create(
        case=dup_case, date=timezone.localdate(), company_status="running", by=world.adviser2
    )

    services.participants_merge(
        by=world.lead,
        keep_id=keep_case.participant_id,
        duplicate_id=dup_case.participant_id,
        winners={world.programme.pk: "keep"},
    )

    assert Message.objects.get(pk=message.pk).case_id == keep_case.pk
    assert FollowUpVisit.objects.get(pk=visit.pk).case_id == keep_case.pk
