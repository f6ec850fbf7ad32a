"""Editing the curriculum makes a new version; cases already signed off keep the version they used."""

from __future__ import annotations

import pytest

from coaching import curriculum_services as svc
from coaching import services
from coaching.curriculum_selectors import current_curriculum
from coaching.errors import NotAllowed, Refused
from coaching.models import ChecklistItem, Curriculum, ItemCheck, Module, ModuleProgress

from .curriculum_fixtures import World, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def items_of(module):
    return [{"id": i.pk, "text": i.text} for i in module.items.order_by("order")]


def test_editing_a_published_curriculum_edits_a_copy(world):
    draft = svc.curriculum_draft(programme=world.programme, by=world.manager)

    assert draft.pk != world.curriculum.pk
    assert draft.version == world.curriculum.version + 1
    assert draft.is_draft
    titles = list(draft.modules.order_by("order").values_list("title__en", flat=True))
    assert titles == ["Business idea", "Marketing", "Budget"]
    assert ChecklistItem.objects.filter(module__curriculum=draft).count() == 5
    assert all(m.origin.curriculum_id == world.curriculum.pk for m in draft.modules.all())
    # Asking again returns the same draft.
    assert svc.curriculum_draft(programme=world.programme, by=world.manager).pk == draft.pk


def test_a_published_version_cannot_be_changed(world):
    module = world.curriculum.modules.first()

    with pytest.raises(Refused):
        svc.module_save(
            by=world.manager,
            curriculum=world.curriculum,
            module_id=module.pk,
            title={"en": "Changed"},
            description={},
            mandatory=True,
            duration_days=7,
            items=[],
        )
    with pytest.raises(Refused):
        svc.module_delete(by=world.manager, module_id=module.pk)


def test_sign_off_keeps_pointing_at_the_old_version_after_the_curriculum_changes(world):
    services.case_transition(case_id=world.case.pk, by=world.adviser, name="admit")
    first = ModuleProgress.objects.select_related("module").get(case=world.case, module__order=1)
    for item in first.module.items.all():
        svc.item_tick(progress_id=first.pk, item_id=item.pk, by=world.adviser)
    svc.module_approve(progress_id=first.pk, by=world.adviser)
    old_item_texts = list(first.module.items.order_by("order").values_list("text__en", flat=True))

    # The manager rewrites the first module and publishes a new version.
    draft = svc.curriculum_draft(programme=world.programme, by=world.manager)
    copy = draft.modules.get(order=1)
    svc.module_save(
        by=world.manager,
        curriculum=draft,
        module_id=copy.pk,
        title={"en": "Business idea and vision", "sv": "Affärsidé och vision"},
        description={},
        mandatory=True,
        duration_days=10,
        items=[*items_of(copy)[1:], {"id": None, "text": {"en": "Explains the vision"}}],
    )
    svc.curriculum_publish(by=world.manager, curriculum_id=draft.pk)

    first = ModuleProgress.objects.select_related("module__curriculum").get(pk=first.pk)
    assert first.module.curriculum_id == world.curriculum.pk
    assert first.module.title["en"] == "Business idea"
    assert list(first.module.items.order_by("order").values_list("text__en", flat=True)) == old_item_texts
    assert ItemCheck.objects.filter(progress=first, item__module__curriculum=world.curriculum).count() == 2
    assert current_curriculum(world.programme.pk).pk == draft.pk
    # A case entering coaching now takes the new version.
    newcomer = make_case(world.region, adviser=world.adviser)
    services.case_transition(case_id=newcomer.pk, by=world.adviser, name="admit")
    assert set(ModuleProgress.objects.filter(case=newcomer).values_list("module__curriculum", flat=True)) == {draft.pk}
    assert list(
        ChecklistItem.objects.filter(module__curriculum=draft, module__order=1).values_list("text__en", flat=True)
    ) == ["Names the customers", "Explains the vision"]


def test_reordering_and_deleting_modules_of_the_draft(world):
    draft = svc.curriculum_draft(programme=world.programme, by=world.manager)
    idea, marketing, budget = draft.modules.order_by("order")

    svc.module_move(by=world.manager, module_id=budget.pk, direction=-1)
    svc.module_delete(by=world.manager, module_id=idea.pk)

    assert list(draft.modules.order_by("order").values_list("title__en", flat=True)) == ["Budget", "Marketing"]
    assert Module.objects.filter(curriculum=world.curriculum).count() == 3


def test_publishing_needs_a_checklist_in_every_module(world):
    draft = svc.curriculum_draft(programme=world.programme, by=world.manager)
    svc.module_save(
        by=world.manager,
        curriculum=draft,
        title={"en": "Empty"},
        description={},
        mandatory=False,
        duration_days=7,
        items=[],
    )

    with pytest.raises(Refused, match="Empty"):
        svc.curriculum_publish(by=world.manager, curriculum_id=draft.pk)
    assert Curriculum.objects.get(pk=draft.pk).is_draft


def test_advisers_do_not_edit_the_curriculum(world):
    with pytest.raises(NotAllowed):
        svc.curriculum_draft(programme=world.programme, by=world.adviser)
