"""'My path': what she sees, only her own, and a query count that does not grow with her data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching import curriculum_services
from coaching.models import Cohort, CohortMember, ItemCheck, Session, Stage
from participants.models import Message, ReminderPreference
from participants.services import document_upload, message_post
from tests.coaching.curriculum_fixtures import publish_curriculum

from .conftest import set_state, upload, with_loan

pytestmark = pytest.mark.django_db


def start_modules(world):
    publish_curriculum(world.programme)
    return curriculum_services.curriculum_start(case=world.case, by=world.adviser)


def session(world, *, days: int = 2, case=None, cohort=None, topic="Marketing workshop"):
    return Session.objects.create(
        region=world.north,
        kind=Session.Kind.INDIVIDUAL if case else Session.Kind.GROUP,
        case=case,
        cohort=cohort,
        starts_at=timezone.now() + timedelta(days=days),
        place="Room 2",
        topic=topic,
        adviser=world.adviser,
    )


def test_her_path_shows_where_she_is_in_plain_words(world, client_for):
    body = client_for(world.participant).get("/my/").content.decode()

    assert "You are learning with your adviser" in body
    assert 'aria-current="step"' in body
    assert "transition" not in body.lower()
    assert "state" not in body.lower().replace("statement", "")


def test_her_path_shows_the_current_module_checklist_done_and_left(world, client_for):
    progress = start_modules(world)
    first = progress[0]
    item = first.module.items.order_by("order").first()
    ItemCheck.objects.create(progress=first, item=item, checked_by=world.adviser)

    body = client_for(world.participant).get("/my/").content.decode()

    assert "Now: Business idea" in body
    assert 'class="is-done"><span class="visually-hidden">Done: </span>Describes the idea' in body
    assert 'class="is-left"><span class="visually-hidden">Left to do: </span>Names the customers' in body


def test_her_path_lists_her_sessions_not_others(world, client_for):
    cohort = Cohort.objects.create(region=world.north, name="Spring", starts_on=timezone.localdate())
    CohortMember.objects.create(cohort=cohort, case=world.case)
    session(world, cohort=cohort, topic="Group: pricing")
    session(world, case=world.case, topic="Just you: budget")
    session(world, case=world.other_case, topic="Someone else's meeting")
    session(world, days=-2, case=world.case, topic="Last week's meeting")

    body = client_for(world.participant).get("/my/").content.decode()

    assert "Group: pricing" in body
    assert "Just you: budget" in body
    assert "Someone else" not in body
    assert "Last week" not in body


def test_her_path_shows_her_plan_with_its_comment_count_and_her_cohorts_sessions(world, client_for):
    from plans import services as plan_services

    world.case = set_state(world.case, Stage.BUSINESS_PLAN)
    plan_services.plan_save_sections(case=world.case, by=world.adviser, sections={"business_idea": "A bakery."})
    for text in ("Who buys the bread?", "What does the oven cost?"):
        plan_services.comment_add(case=world.case, by=world.adviser, section="business_idea", text=text)
    spring = Cohort.objects.create(region=world.north, name="Spring", starts_on=timezone.localdate())
    autumn = Cohort.objects.create(region=world.north, name="Autumn", starts_on=timezone.localdate())
    CohortMember.objects.create(cohort=spring, case=world.case)
    CohortMember.objects.create(cohort=autumn, case=world.case)
    session(world, cohort=spring, topic="Spring group")
    session(world, cohort=autumn, topic="Autumn group")

    body = client_for(world.participant).get("/my/").content.decode()

    assert "draft · 2 comments from your adviser" in body
    assert reverse("plans:my_budget", args=[world.case.pk]) in body
    assert "Spring group" in body and "Autumn group" in body


def test_her_path_shows_her_health_checks_filled_and_to_fill(world, client_for):
    from healthchecks.models import Questionnaire, Round

    questionnaire = Questionnaire.objects.create(programme=world.programme, name="Health check")
    Round.objects.create(case=world.case, questionnaire=questionnaire, kind="start", taken_at=timezone.now())
    midway = Round.objects.create(case=world.case, questionnaire=questionnaire, kind="midway")

    body = client_for(world.participant).get("/my/").content.decode()

    assert "at the start — done" in body
    assert (
        f'<a href="{reverse("healthchecks:my_fill", args=[midway.pk])}">Fill in your health check (midway)</a>' in body
    )


def test_her_path_shows_her_loan_receipts_and_the_pay_now_place(world, client_for):
    loan = with_loan(world, repayments=1)

    body = client_for(world.participant).get("/my/").content.decode()

    assert "Left to pay" in body
    assert "Next payment" in body
    assert f'id="pay-now-{loan.pk}"' in body
    assert reverse("loans:receipt", args=[loan.pk, loan.entries.filter(kind="repayment").get().pk]) in body


def test_a_participant_sees_only_her_own_things(world, client_for):
    document_upload(by=world.other_participant, case=world.other_case, upload=upload("rania.pdf"), kind="id")
    message_post(by=world.other_participant, case=world.other_case, text="Rania's question")

    body = client_for(world.participant).get("/my/").content.decode()

    assert "Amal" in body
    assert "Rania" not in body
    for url in (
        reverse("participants:my_messages", args=[world.other_case.pk]),
        reverse("participants:my_documents", args=[world.other_case.pk]),
        reverse("plans:my_detail", args=[world.other_case.pk]),
    ):
        assert client_for(world.participant).get(url).status_code == 404, url


def test_staff_get_404_on_her_pages(world, client_for):
    assert client_for(world.adviser).get("/my/").status_code == 404
    assert client_for(world.adviser).get(reverse("participants:my_messages", args=[world.case.pk])).status_code == 404


def test_she_turns_reminders_off(world, client_for):
    client = client_for(world.participant)

    response = client.post(reverse("participants:my_reminders"), {"email": "on"})

    assert response.status_code == 302
    preference = ReminderPreference.objects.get(participant__user=world.participant)
    assert (preference.email, preference.sms) == (True, False)
    body = client.get("/my/").content.decode()
    assert 'name="sms" id="id_sms"' in body and 'name="email" id="id_email" checked' in body


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/my/").status_code == 200
    return len(captured)


# Session, user, her record with her reminder choice, scope, cases (with their plans, the plans' comment counts
# and her cohorts), modules (3), sessions, rounds, loans with their balances, one loan's position (its schedule
# with penalties; the credit comes from the balance), receipts, the "Pay now" block's payments (2), and what
# base.html reads: 15 whatever her data.
MY_PATH_QUERIES = 15


def test_my_path_query_count_does_not_grow_with_her_data(world, client_for):
    loan = with_loan(world, repayments=1)
    world.case = set_state(world.case, Stage.LOAN)
    start_modules(world)
    client = client_for(world.participant)
    session(world, case=world.case)
    message_post(by=world.adviser, case=world.case, text="Hello")
    document_upload(by=world.participant, case=world.case, upload=upload(), kind="id")
    small = queries_for(client)

    from decimal import Decimal

    from loans import services

    for n in range(3):
        services.repayment_record(
            by=world.adviser, loan_id=loan.pk, amount=Decimal("100"), on=loan.disbursed_on + timedelta(days=40 + n)
        )
        session(world, case=world.case, days=3 + n)
        message_post(by=world.adviser, case=world.case, text=f"More {n}")
        document_upload(by=world.participant, case=world.case, upload=upload(f"{n}.pdf"), kind="quote")
    assert Message.objects.filter(case=world.case).count() == 4

    assert queries_for(client) == small == MY_PATH_QUERIES
