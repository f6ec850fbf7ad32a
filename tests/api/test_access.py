"""Object-level access is the web's: the same selectors, the same services, the same refusals."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from coaching import services as coaching_services
from coaching.models import CaseEvent, CaseFile, Stage
from coaching.selectors import cases_visible_to, participants_visible_to
from tests.factories import CaseFileFactory, MembershipFactory, ProgrammeFactory, RegionFactory

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("role", ["adviser", "colleague", "other_adviser", "lead", "manager", "administrator"])
def test_a_token_lists_exactly_the_cases_and_people_her_pages_show(world, role):
    user = getattr(world, role)
    client = ApiClient(make_token(user, world.programme))

    cases = _ids(client.get("/api/v1/cases"))
    people = _ids(client.get("/api/v1/participants"))

    assert cases == set(cases_visible_to(user).values_list("pk", flat=True))
    assert people == set(participants_visible_to(user).values_list("pk", flat=True))


def test_an_advisers_token_does_not_see_another_regions_case(world):
    client = ApiClient(make_token(world.adviser, world.programme))

    assert world.other_case.pk not in _ids(client.get("/api/v1/cases"))
    response = client.get(f"/api/v1/cases/{world.other_case.pk}")
    assert response.status_code == 404
    assert "Rania" not in response.content.decode()
    assert client.get(f"/api/v1/participants/{world.other_case.participant_id}").status_code == 404


def test_a_token_stays_in_its_programme(world):
    """A manager of two programmes: her token for one does not reach the other's cases."""
    other_programme = ProgrammeFactory(name="Other programme")
    region = RegionFactory(programme=other_programme)
    MembershipFactory(user=world.manager, programme=other_programme, region=None, role="manager")
    elsewhere = CaseFileFactory(region=region, state=Stage.INTAKE)
    client = ApiClient(make_token(world.manager, world.programme))

    assert elsewhere.pk in set(cases_visible_to(world.manager).values_list("pk", flat=True))
    assert elsewhere.pk not in _ids(client.get("/api/v1/cases"))
    assert client.get(f"/api/v1/cases/{elsewhere.pk}").status_code == 404


def test_the_case_shows_the_steps_this_user_may_take(world):
    adviser = ApiClient(make_token(world.adviser, world.programme)).get(f"/api/v1/cases/{world.case.pk}").json()
    colleague = ApiClient(make_token(world.colleague, world.programme)).get(f"/api/v1/cases/{world.case.pk}").json()

    assert adviser["can_work"] is True
    assert {t["name"] for t in adviser["transitions"]} == {
        row["info"].name for row in coaching_services.transitions_for(world.case, world.adviser)
    }
    assert colleague["can_work"] is False
    assert colleague["transitions"] == []


# --- Transitions: refused exactly when the web refuses them -------------------------------------------


def _web_and_api(world, user, data: dict):
    """Post the same step through the case page and through the API, each from the same state."""
    web = ApiClient(None)
    web.client.force_login(user)
    page = web.client.post(reverse("coaching:case_transition", args=[world.case.pk]), data)
    web_state = CaseFile.objects.get(pk=world.case.pk).state
    body = {key: value for key, value in data.items() if value}  # the form's blanks are the API's absent fields
    api = ApiClient(make_token(user, world.programme)).post(f"/api/v1/cases/{world.case.pk}/transitions", body)
    return page, web_state, api


def test_a_step_the_stage_does_not_allow_is_refused_by_both(world):
    page, web_state, api = _web_and_api(world, world.adviser, {"transition": "start_loan", "expected_state": ""})

    web_message = [str(m) for m in get_messages(page.wsgi_request)][-1]
    assert web_state == Stage.COACHING
    assert api.status_code == 409
    assert api.json()["code"] == "refused"
    assert api.json()["detail"] == web_message
    assert CaseFile.objects.get(pk=world.case.pk).state == Stage.COACHING


def test_an_unmet_gate_is_refused_with_what_holds_it_back(world):
    CaseFile.objects.filter(pk=world.case.pk).update(state=Stage.BUSINESS_PLAN)
    case = CaseFile.objects.get(pk=world.case.pk)
    problems = coaching_services.unmet_conditions(case, "start_loan")
    assert problems, "the plan is not approved, so the gate must hold"

    response = ApiClient(make_token(world.adviser, world.programme)).post(
        f"/api/v1/cases/{case.pk}/transitions", {"transition": "start_loan"}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == " ".join(problems)
    assert CaseFile.objects.get(pk=case.pk).state == Stage.BUSINESS_PLAN


def test_a_reader_who_may_not_change_the_case_is_refused_by_both(world):
    data = {"transition": "withdraw", "reason": "other", "expected_state": "coaching"}

    page, web_state, api = _web_and_api(world, world.colleague, data)

    assert page.status_code == 403
    assert web_state == Stage.COACHING
    assert api.status_code == 403
    assert CaseFile.objects.get(pk=world.case.pk).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case, kind=CaseEvent.Kind.TRANSITION).exists()


def test_a_stale_expected_state_is_refused(world):
    response = ApiClient(make_token(world.adviser, world.programme)).post(
        f"/api/v1/cases/{world.case.pk}/transitions",
        {"transition": "withdraw", "reason": "other", "expected_state": "intake"},
    )

    assert response.status_code == 409
    assert CaseFile.objects.get(pk=world.case.pk).state == Stage.COACHING


def test_withdrawing_needs_a_reason(world):
    response = ApiClient(make_token(world.adviser, world.programme)).post(
        f"/api/v1/cases/{world.case.pk}/transitions", {"transition": "withdraw"}
    )

    assert response.status_code == 409
    assert CaseFile.objects.get(pk=world.case.pk).state == Stage.COACHING


def test_a_step_goes_through_the_service_and_onto_the_timeline(world):
    response = ApiClient(make_token(world.lead, world.programme)).post(
        f"/api/v1/cases/{world.case.pk}/transitions",
        {"transition": "close", "outcome": "employed", "note": "Got a job at the bakery."},
    )

    assert response.status_code == 200, response.content
    assert response.json()["state"] == Stage.CLOSED
    event = CaseEvent.objects.get(case=world.case, kind=CaseEvent.Kind.TRANSITION)
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        world.lead,
        Stage.COACHING,
        Stage.CLOSED,
        "Got a job at the bakery.",
    )
    assert CaseFile.objects.get(pk=world.case.pk).outcome == "employed"


# --- Registering a participant: the web's form and checks --------------------------------------------


def _register(world, user, **overrides):
    payload = {
        "region_id": world.north.pk,
        "consent": True,
        "participant": {"first_name": "Hanan", "last_name": "Omar", "phone": "070-123 45 67"},
        **overrides,
    }
    return ApiClient(make_token(user, world.programme)).post("/api/v1/cases", payload)


def test_registering_opens_a_case_in_mobilised_assigned_to_the_adviser(world):
    response = _register(world, world.adviser)

    assert response.status_code == 201, response.content
    body = response.json()
    case = CaseFile.objects.get(pk=body["id"])
    assert (case.state, case.region, case.adviser) == (Stage.MOBILISED, world.north, world.adviser)
    assert case.participant.phone == "+46701234567"
    assert case.participant.consent_given_at is not None
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OPENED, actor=world.adviser).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"participant": {"first_name": "Hanan", "last_name": "Omar"}}, "participant.email"),
        ({"participant": {"first_name": "Hanan", "last_name": "Omar", "phone": "not a phone"}}, "participant.phone"),
        (
            {
                "participant": {
                    "first_name": "Hanan",
                    "last_name": "Omar",
                    "email": "h@example.net",
                    "date_of_birth": "2999-01-01",
                }
            },
            "participant.date_of_birth",
        ),
        ({"region_id": 999999}, "region_id"),
    ],
)
def test_bad_input_gets_the_forms_field_error_and_changes_nothing(world, overrides, field):
    before = CaseFile.objects.count()

    response = _register(world, world.adviser, **overrides)

    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert CaseFile.objects.count() == before


def test_someone_who_looks_registered_needs_create_anyway(world):
    amal = world.case.participant
    person = {"first_name": "Amal", "last_name": "Yusuf", "email": amal.email}
    before = CaseFile.objects.count()

    refused = _register(world, world.adviser, participant=person)
    accepted = _register(world, world.adviser, participant=person, create_anyway=True)

    assert refused.status_code == 409
    assert refused.json()["code"] == "possible_duplicate"
    assert accepted.status_code == 201
    assert CaseFile.objects.count() == before + 1


def test_a_schema_violation_lists_every_field_at_fault(world):
    response = _register(world, world.adviser, region_id="north", participant={"first_name": 5})

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"region_id", "participant.first_name", "participant.last_name"} <= fields


# --- Planning a session: the planning page's form and service --------------------------------------------


def test_an_individual_session_puts_take_attendance_on_her_next_actions(world):
    from datetime import timedelta

    from django.utils import timezone

    from coaching.models import NextAction
    from coaching.session_models import Session

    starts = timezone.localtime() + timedelta(days=2)
    response = ApiClient(make_token(world.adviser, world.programme)).post(
        "/api/v1/sessions",
        {
            "region_id": world.north.pk,
            "kind": "individual",
            "case_id": world.case.pk,
            "topic": "Budget review",
            "starts_at": starts.isoformat(),
            "video_url": "https://meet.example.org/amal",
        },
    )

    assert response.status_code == 201, response.content
    session = Session.objects.get(pk=response.json()["id"])
    assert (session.case, session.adviser, session.created_by) == (world.case, world.adviser, world.adviser)
    assert session.next_action.case == world.case
    assert NextAction.objects.filter(case=world.case, title__startswith="Individual session").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "individual"}, "case_id"),
        ({"place": ""}, "place"),
        ({"adviser_id": 999999}, "adviser_id"),
    ],
)
def test_a_session_the_page_would_refuse_is_422_and_planned_nowhere(world, body, field):
    from coaching.session_models import Session

    payload = {"region_id": world.north.pk, "topic": "x", "starts_at": "2026-12-01T10:00:00+01:00", "place": "Library"}
    response = ApiClient(make_token(world.adviser, world.programme)).post("/api/v1/sessions", {**payload, **body})

    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Session.objects.exists()
