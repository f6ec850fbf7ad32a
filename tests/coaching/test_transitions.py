"""Stage changes go through coaching.services.case_transition: checked, atomic, on the timeline."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching import gates
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile, Outcome, ResidencePermit, Stage, WithdrawalReason
from coaching.services import case_transition

from ..factories import CaseFileFactory, approve_plan, paid_out_loan

pytestmark = pytest.mark.django_db

# (transition, from, to, extra keyword arguments)
LEGAL = [
    ("start_intake", Stage.MOBILISED, Stage.INTAKE, {}),
    ("admit", Stage.INTAKE, Stage.COACHING, {}),
    ("start_business_plan", Stage.COACHING, Stage.BUSINESS_PLAN, {}),
    ("start_loan", Stage.BUSINESS_PLAN, Stage.LOAN, {}),
    ("skip_loan", Stage.BUSINESS_PLAN, Stage.FOLLOW_UP, {}),
    ("start_follow_up", Stage.LOAN, Stage.FOLLOW_UP, {}),
    ("close", Stage.COACHING, Stage.CLOSED, {"outcome": Outcome.STUDIES}),
    ("close", Stage.BUSINESS_PLAN, Stage.CLOSED, {"outcome": Outcome.EMPLOYED}),
    ("close", Stage.FOLLOW_UP, Stage.CLOSED, {"outcome": Outcome.COMPANY_STARTED}),
    *[("withdraw", stage, Stage.WITHDRAWN, {"reason": WithdrawalReason.MOVED}) for stage in Stage.values[:6]],
]

ALL_NAMES = [
    "start_intake",
    "admit",
    "start_business_plan",
    "start_loan",
    "skip_loan",
    "start_follow_up",
    "close",
    "withdraw",
]
ARGS = {"outcome": Outcome.OTHER, "reason": WithdrawalReason.OTHER}
SOURCES = {(name, source) for name, source, _target, _kw in LEGAL}
ILLEGAL = [(name, stage) for stage in Stage.values for name in ALL_NAMES if (name, stage) not in SOURCES]


def case_in(world, state: str) -> CaseFile:
    return CaseFileFactory(region=world.north, adviser=world.adviser, state=state)


def meet_the_gate(world, case: CaseFile, name: str) -> None:
    """What the later stages ask for: an approved plan before the loan, a paid-out loan before follow-up."""
    if name in ("start_loan", "skip_loan"):
        approve_plan(case, adviser=world.adviser, lead=world.lead)
    if name == "start_follow_up":
        paid_out_loan(case, by=world.adviser)


def fetch(case: CaseFile) -> CaseFile:
    # A protected FSM field cannot be refreshed in place.
    return CaseFile.objects.get(pk=case.pk)


@pytest.mark.parametrize(("name", "source", "target", "kwargs"), LEGAL)
def test_legal_transition_moves_the_case_and_writes_the_timeline(world, name, source, target, kwargs):
    case = case_in(world, source)
    meet_the_gate(world, case, name)

    result = case_transition(case_id=case.pk, by=world.adviser, name=name, note="  Talked it through.  ", **kwargs)

    assert result.state == target
    saved = fetch(case)
    assert saved.state == target
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.TRANSITION)
    assert (event.actor, event.from_state, event.to_state, event.transition) == (world.adviser, source, target, name)
    assert event.note == "Talked it through."
    if name == "close":
        assert saved.outcome == kwargs["outcome"]
        assert saved.closed_at is not None
        assert event.data == {"outcome": kwargs["outcome"]}
    if name == "withdraw":
        assert saved.withdrawal_reason == kwargs["reason"]
        assert event.data == {"reason": kwargs["reason"]}


def test_region_lead_may_move_a_case_she_is_not_assigned_to(world):
    case = case_in(world, Stage.MOBILISED)

    case_transition(case_id=case.pk, by=world.lead, name="start_intake")

    assert fetch(case).state == Stage.INTAKE
    assert CaseEvent.objects.get(case=case).actor == world.lead


@pytest.mark.parametrize(("name", "stage"), ILLEGAL)
def test_transition_not_possible_from_the_stage_is_refused_and_changes_nothing(world, name, stage):
    case = case_in(world, stage)

    with pytest.raises(Refused):
        case_transition(case_id=case.pk, by=world.adviser, name=name, **ARGS)

    assert fetch(case).state == stage
    assert not CaseEvent.objects.filter(case=case).exists()


def test_unknown_transition_name_is_refused(world):
    with pytest.raises(Refused):
        case_transition(case_id=world.case.pk, by=world.adviser, name="delete")
    assert fetch(world.case).state == Stage.COACHING


@pytest.mark.parametrize("who", ["colleague", "other_adviser", "committee", "manager", "administrator", "participant"])
def test_only_the_assigned_adviser_or_region_lead_may_change_a_case(world, who):
    with pytest.raises(NotAllowed):
        case_transition(case_id=world.case.pk, by=getattr(world, who), name="start_business_plan")

    assert fetch(world.case).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case).exists()


def test_expected_state_mismatch_is_refused(world):
    with pytest.raises(Refused, match="moved on meanwhile"):
        case_transition(
            case_id=world.case.pk, by=world.adviser, name="withdraw", reason="other", expected_state=Stage.INTAKE
        )

    assert fetch(world.case).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case).exists()


def test_expected_state_that_matches_lets_the_transition_through(world):
    case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan", expected_state="coaching")
    assert fetch(world.case).state == Stage.BUSINESS_PLAN


@pytest.mark.parametrize("outcome", ["", "rich", None])
def test_close_needs_an_outcome(world, outcome):
    with pytest.raises(Refused, match="outcome"):
        case_transition(case_id=world.case.pk, by=world.adviser, name="close", outcome=outcome or "")

    saved = fetch(world.case)
    assert (saved.state, saved.outcome, saved.closed_at) == (Stage.COACHING, "", None)


@pytest.mark.parametrize("reason", ["", "bored"])
def test_withdraw_needs_a_reason(world, reason):
    with pytest.raises(Refused, match="reason"):
        case_transition(case_id=world.case.pk, by=world.adviser, name="withdraw", reason=reason)

    saved = fetch(world.case)
    assert (saved.state, saved.withdrawal_reason, saved.closed_at) == (Stage.COACHING, "", None)


def test_admit_is_refused_for_a_temporary_permit_when_the_programme_requires_permanent_residence(world):
    world.programme.require_permanent_residence = True
    world.programme.save()
    case = case_in(world, Stage.INTAKE)
    case.participant.residence_permit = ResidencePermit.TEMPORARY
    case.participant.save()

    with pytest.raises(Refused, match="permanent residence permit"):
        case_transition(case_id=case.pk, by=world.adviser, name="admit")

    assert fetch(case).state == Stage.INTAKE
    assert not CaseEvent.objects.filter(case=case).exists()


def test_admit_passes_with_a_permanent_permit_when_the_programme_requires_it(world):
    world.programme.require_permanent_residence = True
    world.programme.save()
    case = case_in(world, Stage.INTAKE)  # the factory's participant holds a permanent permit

    case_transition(case_id=case.pk, by=world.adviser, name="admit")

    assert fetch(case).state == Stage.COACHING


@pytest.fixture
def modules_not_approved():
    def check(case) -> bool:
        return False

    gates.register("mandatory_modules_approved", check)
    yield
    gates._extra_checks["mandatory_modules_approved"].remove(check)


def test_a_registered_gate_blocks_the_business_plan(world, modules_not_approved):
    with pytest.raises(Refused, match="mandatory coaching module"):
        case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")

    assert fetch(world.case).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case).exists()


def test_the_gate_is_open_again_once_the_check_is_unregistered(world):
    # Guards against a leaked registration from the test above (same process, any order).
    assert all(check.__module__ != __name__ for check in gates._extra_checks.get("mandatory_modules_approved", []))
    case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")
    assert fetch(world.case).state == Stage.BUSINESS_PLAN


# --- Through the web: forged POSTs --------------------------------------------------------------


def transition_url(case) -> str:
    return f"/cases/{case.pk}/transition/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("colleague", 403),
        ("manager", 403),
        ("administrator", 403),
        ("other_adviser", 404),
        ("committee", 404),
        ("participant", 404),
        ("other_participant", 404),
    ],
)
def test_forged_transition_post_by_a_user_without_the_right_changes_nothing(world, client_for, who, status):
    client = client_for(getattr(world, who))

    response = client.post(
        transition_url(world.case), {"transition": "withdraw", "reason": "other", "expected_state": "coaching"}
    )

    assert response.status_code == status
    assert fetch(world.case).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case).exists()


def test_anonymous_transition_post_goes_to_login_and_changes_nothing(world, client_for):
    response = client_for(None).post(transition_url(world.case), {"transition": "withdraw", "reason": "other"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert fetch(world.case).state == Stage.COACHING


def test_assigned_adviser_moves_the_case_through_the_form(world, client_for):
    response = client_for(world.adviser).post(
        transition_url(world.case),
        {"transition": "start_business_plan", "expected_state": "coaching", "note": "Modules done."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/cases/{world.case.pk}/#timeline"
    assert fetch(world.case).state == Stage.BUSINESS_PLAN
    assert "The case moved on." in response.content.decode()
    assert "Modules done." in response.content.decode()


@pytest.mark.parametrize("name", ["start_loan", "start_follow_up", "start_intake", "admit"])
def test_posting_a_step_that_skips_a_stage_is_refused(world, client_for, name):
    response = client_for(world.adviser).post(
        transition_url(world.case), {"transition": name, "expected_state": "coaching"}, follow=True
    )

    assert response.status_code == 200
    assert "is not possible from the stage" in response.content.decode()
    assert fetch(world.case).state == Stage.COACHING
    assert not CaseEvent.objects.filter(case=world.case).exists()


def test_stale_form_is_refused_with_a_message(world, client_for):
    response = client_for(world.adviser).post(
        transition_url(world.case),
        {"transition": "withdraw", "reason": "other", "expected_state": "intake"},
        follow=True,
    )

    assert "moved on meanwhile" in response.content.decode()
    assert fetch(world.case).state == Stage.COACHING


def test_case_page_says_why_admission_is_held_back(world, client_for):
    world.programme.require_permanent_residence = True
    world.programme.save()
    case = case_in(world, Stage.INTAKE)
    case.participant.residence_permit = ResidencePermit.TEMPORARY
    case.participant.save()

    body = client_for(world.adviser).get(f"/cases/{case.pk}/").content.decode()

    assert "A permanent residence permit (or citizenship) is required." in body
    assert 'disabled aria-describedby="why-admit"' in body


MODEL = {(name, source): target for name, source, target, _kw in LEGAL}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(ALL_NAMES), max_size=8))
def test_any_sequence_of_steps_follows_the_journey_and_logs_each_move(world, steps):
    # An independent model of the journey: the service must agree with it step by step.
    case = case_in(world, Stage.MOBILISED)
    state, moves = Stage.MOBILISED, 0

    for name in steps:
        target = MODEL.get((name, state))
        if target is None:
            with pytest.raises(Refused):
                case_transition(case_id=case.pk, by=world.adviser, name=name, **ARGS)
        else:
            meet_the_gate(world, fetch(case), name)  # the plan service reads the stage from the object it is given
            case_transition(case_id=case.pk, by=world.adviser, name=name, **ARGS)
            state, moves = target, moves + 1
        assert fetch(case).state == state

    events = list(CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).order_by("id"))
    assert len(events) == moves
    assert all(a.to_state == b.from_state for a, b in zip(events, events[1:], strict=False))
    if events:
        assert (events[0].from_state, events[-1].to_state) == (Stage.MOBILISED, state)
