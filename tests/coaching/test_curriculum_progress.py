"""Entering coaching opens the first module; ticking, approval and sending back; the gate to the business plan."""

from __future__ import annotations

import pytest

from coaching import curriculum_services as svc
from coaching import services
from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, ItemCheck, ModuleProgress, NextAction, Stage

from .curriculum_fixtures import World, make_case, make_programme, make_region, make_user, publish_curriculum

pytestmark = pytest.mark.django_db

Status = ModuleProgress.Status


@pytest.fixture
def world():
    return World()


def admit(world):
    services.case_transition(case_id=world.case.pk, by=world.adviser, name="admit")
    return list(ModuleProgress.objects.filter(case=world.case).select_related("module").order_by("module__order"))


def tick_all(progress, by):
    for item in progress.module.items.all():
        svc.item_tick(progress_id=progress.pk, item_id=item.pk, by=by, note="shown")


def test_entering_coaching_opens_the_first_module_and_locks_the_rest(world):
    rows = admit(world)

    assert [r.status for r in rows] == [Status.OPEN, Status.LOCKED, Status.LOCKED]
    assert {r.module.curriculum_id for r in rows} == {world.curriculum.pk}
    assert rows[0].next_action is not None and rows[0].next_action.done_at is None
    assert CaseEvent.objects.filter(case=world.case, kind=CaseEvent.Kind.MODULE, data__result="started").exists()


def test_a_case_entering_coaching_takes_the_newest_published_version(world):
    newer = publish_curriculum(world.programme, [("Only module", True, ["x"])])

    rows = admit(world)

    assert [r.module.curriculum_id for r in rows] == [newer.pk]


def test_mandatory_module_cannot_be_approved_with_an_item_unticked(world):
    first = admit(world)[0]
    item = first.module.items.first()
    svc.item_tick(progress_id=first.pk, item_id=item.pk, by=world.adviser)

    with pytest.raises(Refused, match="must be ticked"):
        svc.module_approve(progress_id=first.pk, by=world.adviser)

    assert ModuleProgress.objects.get(pk=first.pk).status == Status.OPEN


def test_approving_a_module_opens_the_next_and_logs_the_sign_off(world):
    first, second, _third = admit(world)
    tick_all(first, world.adviser)

    svc.module_approve(progress_id=first.pk, by=world.adviser, note="Well explained")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.APPROVED and first.approved_by == world.adviser
    assert second.status == Status.OPEN
    assert NextAction.objects.get(pk=first.next_action_id).done_at is not None
    assert NextAction.objects.get(pk=second.next_action_id).done_at is None
    event = CaseEvent.objects.get(case=world.case, data__result="approved")
    assert event.data["version"] == world.curriculum.version
    assert "Business idea" in event.note and "Well explained" in event.note


def test_optional_module_may_be_approved_with_items_unticked_only_with_a_note(world):
    first, second, third = admit(world)
    tick_all(first, world.adviser)
    svc.module_approve(progress_id=first.pk, by=world.adviser)

    with pytest.raises(Refused, match="note"):
        svc.module_approve(progress_id=second.pk, by=world.adviser)
    svc.module_approve(progress_id=second.pk, by=world.adviser, note="Marketing done in the group instead")

    assert ModuleProgress.objects.get(pk=third.pk).status == Status.OPEN


def test_sending_back_unticks_the_missing_items_and_plans_a_follow_up(world):
    first = admit(world)[0]
    tick_all(first, world.adviser)
    missing = first.module.items.last()

    svc.module_return(progress_id=first.pk, by=world.adviser, missing_item_ids=[missing.pk], note="Practise it")

    first.refresh_from_db()
    assert first.status == Status.RETURNED
    assert not ItemCheck.objects.filter(progress=first, item=missing).exists()
    assert "Go through what is missing" in first.next_action.title
    event = CaseEvent.objects.get(case=world.case, data__result="returned")
    assert missing.display_text in event.note
    # Still workable: tick the item again and approve.
    svc.item_tick(progress_id=first.pk, item_id=missing.pk, by=world.adviser)
    svc.module_approve(progress_id=first.pk, by=world.adviser)


def test_a_locked_module_cannot_be_ticked_or_approved(world):
    _first, second, _third = admit(world)
    item = second.module.items.first()

    with pytest.raises(Refused):
        svc.item_tick(progress_id=second.pk, item_id=item.pk, by=world.adviser)
    with pytest.raises(Refused):
        svc.module_approve(progress_id=second.pk, by=world.adviser, note="skip")


def test_an_item_of_another_module_cannot_be_ticked(world):
    first, second, _ = admit(world)

    with pytest.raises(Refused):
        svc.item_tick(progress_id=first.pk, item_id=second.module.items.first().pk, by=world.adviser)


def test_another_adviser_of_the_region_cannot_sign_off(world):
    first = admit(world)[0]
    other = make_user(role="adviser", region=world.region)

    with pytest.raises(NotAllowed):
        svc.module_approve(progress_id=first.pk, by=other)


def test_region_lead_can_sign_off(world):
    first = admit(world)[0]
    tick_all(first, world.lead)

    svc.module_approve(progress_id=first.pk, by=world.lead)

    assert ModuleProgress.objects.get(pk=first.pk).approved_by == world.lead


# --- The gate ----------------------------------------------------------------------------------


def test_cannot_reach_business_plan_with_a_mandatory_module_open(world):
    admit(world)

    with pytest.raises(Refused, match="mandatory"):
        services.case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")

    assert world.fresh_case().state == Stage.COACHING


def test_business_plan_opens_once_every_mandatory_module_is_approved(world):
    rows = admit(world)
    for progress in rows:
        progress = ModuleProgress.objects.get(pk=progress.pk)
        tick_all(progress, world.adviser)
        svc.module_approve(progress_id=progress.pk, by=world.adviser)

    services.case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")

    assert world.fresh_case().state == Stage.BUSINESS_PLAN


def test_optional_module_open_does_not_hold_the_gate(world):
    # An optional module left open at the end of the curriculum does not block the business plan.
    programme = make_programme()
    region = make_region(programme)
    adviser = make_user(role="adviser", region=region)
    publish_curriculum(programme, [("Idea", True, ["a"]), ("Extra", False, ["b"])])
    case = make_case(region, adviser=adviser)
    services.case_transition(case_id=case.pk, by=adviser, name="admit")
    first = ModuleProgress.objects.get(case=case, module__order=1)
    svc.item_tick(progress_id=first.pk, item_id=first.module.items.get().pk, by=adviser)
    svc.module_approve(progress_id=first.pk, by=adviser)

    services.case_transition(case_id=case.pk, by=adviser, name="start_business_plan")


def test_forged_post_cannot_skip_the_gate(world, client):
    admit(world)
    client.force_login(world.adviser)

    response = client.post(
        f"/cases/{world.case.pk}/transition/",
        {"transition": "start_business_plan", "expected_state": "coaching"},
        follow=True,
    )

    assert response.status_code == 200
    assert world.fresh_case().state == Stage.COACHING
    assert "mandatory" in response.content.decode()


def test_programme_without_a_curriculum_has_nothing_to_hold_back():
    programme = make_programme()
    region = make_region(programme)
    adviser = make_user(role="adviser", region=region)
    case = make_case(region, adviser=adviser, state=Stage.COACHING)

    services.case_transition(case_id=case.pk, by=adviser, name="start_business_plan")


def test_case_in_coaching_before_the_curriculum_existed_must_start_it(world):
    case = make_case(world.region, adviser=world.adviser, state=Stage.COACHING)

    with pytest.raises(Refused):
        services.case_transition(case_id=case.pk, by=world.adviser, name="start_business_plan")
    rows = svc.case_curriculum_start(case_id=case.pk, by=world.adviser)

    assert len(rows) == 3
    assert ModuleProgress.objects.filter(case=case, status=Status.OPEN).count() == 1


def test_modules_are_frozen_once_the_case_has_left_coaching(world):
    rows = admit(world)
    for progress in rows:
        progress = ModuleProgress.objects.get(pk=progress.pk)
        tick_all(progress, world.adviser)
        svc.module_approve(progress_id=progress.pk, by=world.adviser)
    services.case_transition(case_id=world.case.pk, by=world.adviser, name="start_business_plan")

    with pytest.raises(Refused):
        svc.item_tick(progress_id=rows[0].pk, item_id=rows[0].module.items.first().pk, by=world.adviser, checked=False)
