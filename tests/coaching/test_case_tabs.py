"""The case page's tabs: the overview first, each stage's work on a tab of its own (coaching/tabs.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coaching.models import Stage
from coaching.services import case_transition, next_action_add, note_add
from coaching.tabs import TABS, case_url
from participants.models import Message

pytestmark = pytest.mark.django_db

# What each tab shows (a heading of its panels), and what only another tab shows.
SHOWS = {
    "overview": ["Next step", "Next actions", "Notes", "Timeline"],
    "coaching": ["Coaching modules", "Health check"],
    "plan": ["Business plan"],
    "loan": ["A loan application opens when the case reaches the loan stage."],
    "pages": ["Messages with the participant", "Documents"],
}


@pytest.mark.parametrize("tab", [t.name for t in TABS])
def test_each_tab_shows_its_own_panels_and_not_the_others(world, client_for, tab):
    response = client_for(world.adviser).get(case_url(world.case.pk, tab))

    body = response.content.decode()
    assert response.status_code == 200
    for heading in SHOWS[tab]:
        assert heading in body, f"{heading!r} missing on the {tab} tab"
    for other, headings in SHOWS.items():
        if other != tab:
            for heading in headings:
                assert f">{heading}</h2>" not in body, f"{heading!r} of the {other} tab on the {tab} tab"
    # Every tab: who she is and where the case stands, and the tab bar with this tab marked.
    assert "Amal Yusuf" in body
    assert body.count('aria-current="page"') == 1
    current = next(t for t in TABS if t.name == tab)
    assert f'aria-current="page">{current.label}' in body


def test_the_tab_of_the_current_stage_is_marked(world, client_for):
    body = client_for(world.adviser).get(case_url(world.case.pk)).content.decode()  # the case is in coaching

    marked = '?tab=coaching">Coaching <span class="current-stage">(current stage)</span>'
    assert f'href="/cases/{world.case.pk}/{marked}' in body
    assert body.count('class="current-stage"') == 1
    # The next step says where the stage's work is.
    assert f'This stage\'s work: <a href="/cases/{world.case.pk}/?tab=coaching">Coaching</a>' in body


def test_an_unknown_tab_is_not_found(world, client_for):
    assert client_for(world.adviser).get(f"/cases/{world.case.pk}/", {"tab": "ledger"}).status_code == 404


@pytest.mark.parametrize("tab", [t.name for t in TABS])
@pytest.mark.parametrize("who", ["other_adviser", "participant", "other_participant", "committee"])
def test_no_tab_opens_for_someone_who_may_not_read_the_case(world, client_for, tab, who):
    Message.objects.create(case=world.case, author=world.participant, from_participant=True, text="Private words")

    response = client_for(getattr(world, who)).get(case_url(world.case.pk, tab))

    assert response.status_code in (403, 404)
    assert "Yusuf" not in response.content.decode()
    assert "Private words" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_from_every_tab(world, client):
    for tab in TABS:
        response = client.get(case_url(world.case.pk, tab.name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# session, user, scope, the case, the navigation's participant check, the user's permissions and groups (the
# editor link), the access log's row, and then each tab's own reads: the overview's gates of the steps on offer,
# next actions, the latest notes and events; coaching's modules, hours, mentoring, health-check rounds and
# questionnaire; the plan; follow-up visits and statements (and, from the loan stage on, the loan's applications); the messages and
# documents (her login comes with the case). None grows with the case's history.
TAB_QUERIES = {"overview": 13, "coaching": 13, "plan": 9, "loan": 9, "pages": 10}


@pytest.mark.parametrize("tab", [t.name for t in TABS])
def test_each_tab_reads_a_fixed_number_of_queries_whatever_the_history(
    world, client_for, django_assert_num_queries, tab
):
    client = client_for(world.adviser)
    with django_assert_num_queries(TAB_QUERIES[tab]):
        client.get(case_url(world.case.pk, tab))

    case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")
    for index in range(8):
        note_add(case=world.case, by=world.adviser, text=f"Note {index}")
        next_action_add(case=world.case, by=world.adviser, title=f"Call {index}", due_date=timezone.localdate())
        Message.objects.create(case=world.case, author=world.participant, from_participant=True, text=f"Hi {index}")
    with django_assert_num_queries(TAB_QUERIES[tab]):
        response = client.get(case_url(world.case.pk, tab))
    assert response.status_code == 200


def test_a_form_posted_on_a_tab_comes_back_to_it(world, client_for):
    client = client_for(world.adviser)

    response = client.post(f"/cases/{world.case.pk}/messages/", {"text": "See you on Monday"})

    assert response["Location"] == f"/cases/{world.case.pk}/?tab=pages#messages"
    assert "See you on Monday" in client.get(response["Location"]).content.decode()


def test_case_url_refuses_an_unknown_tab():
    with pytest.raises(ValueError, match="unknown case tab"):
        case_url(1, "ledger")
    assert case_url(7) == "/cases/7/"
    assert case_url(7, "loan", "#follow-up") == "/cases/7/?tab=loan#follow-up"
    assert {t.name for t in TABS} == set(SHOWS)
    assert Stage.COACHING in next(t for t in TABS if t.name == "coaching").stages
