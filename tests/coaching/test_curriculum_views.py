"""The module pages of a case, the participant's view of her module, and the curriculum editor."""

from __future__ import annotations

import pytest

from coaching import services
from coaching.models import Curriculum, ModuleProgress, Stage

from .curriculum_fixtures import World, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    services.case_transition(case_id=w.case.pk, by=w.adviser, name="admit")
    w.first = ModuleProgress.objects.select_related("module").get(case=w.case, module__order=1)
    return w


def test_case_page_shows_the_modules_panel(world, client):
    client.force_login(world.adviser)

    page = client.get(f"/cases/{world.case.pk}/", {"tab": "coaching"}).content.decode()

    assert "Coaching modules" in page
    assert "Go to the current module: Business idea" in page
    assert "0.0 hours" in page


def test_staff_opening_her_module_is_in_her_access_log(world, client):
    from privacy.models import AccessLog

    client.force_login(world.adviser)

    assert client.get(f"/cases/{world.case.pk}/modules/{world.first.pk}/").status_code == 200

    assert list(AccessLog.objects.values_list("user", "case", "action")) == [
        (world.adviser.pk, world.case.pk, "view_module")
    ]


def test_adviser_ticks_and_approves_through_the_pages(world, client):
    client.force_login(world.adviser)
    items = list(world.first.module.items.all())
    base = f"/cases/{world.case.pk}/modules/{world.first.pk}/"

    assert client.get(f"/cases/{world.case.pk}/modules/").url == base
    client.post(base + "checklist/", {f"item_{i.pk}": "on" for i in items} | {f"note_{items[0].pk}": "Clear"})
    response = client.post(base + "approve/", {"note": ""})

    assert response.status_code == 302
    world.first.refresh_from_db()
    assert world.first.status == "approved"
    assert world.first.checks.get(item=items[0]).note == "Clear"


def test_approval_refused_shows_why(world, client):
    client.force_login(world.adviser)
    base = f"/cases/{world.case.pk}/modules/{world.first.pk}/"

    response = client.post(base + "approve/", {"note": ""}, follow=True)

    assert "must be ticked" in response.content.decode()
    assert ModuleProgress.objects.get(pk=world.first.pk).status == "open"


def test_send_back_needs_a_note_shown_next_to_the_field(world, client):
    client.force_login(world.adviser)

    response = client.post(f"/cases/{world.case.pk}/modules/{world.first.pk}/return/", {"note": ""})

    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_another_regions_adviser_gets_404_on_module_pages(world, client):
    from .curriculum_fixtures import make_region

    client.force_login(make_user(role="adviser", region=make_region(world.programme, "Örebro")))

    assert client.get(f"/cases/{world.case.pk}/modules/{world.first.pk}/").status_code == 404


def test_participant_sees_her_current_module_read_only(world, client):
    user = make_user("amal@example.org")
    participant = world.case.participant
    participant.user = user
    participant.save()
    client.force_login(user)

    page = client.get("/my/").content.decode()

    assert "Now: Business idea" in page
    assert "Describes the idea" in page
    assert "<form" not in page.split("Now: Business idea")[1].split("</section>")[0]


def test_manager_edits_and_publishes_the_curriculum_in_the_app(world, client):
    client.force_login(world.manager)
    programme = world.programme

    assert client.get("/curriculum/").url == f"/curriculum/{programme.pk}/"
    assert client.post(f"/curriculum/{programme.pk}/edit/").status_code == 302
    draft = Curriculum.objects.get(programme=programme, published_at__isnull=True)
    module = draft.modules.get(order=1)
    assert client.get(f"/curriculum/{programme.pk}/modules/{module.pk}/").status_code == 200
    items = list(module.items.order_by("order"))
    data = {
        "title_en": "Business idea",
        "title_sv": "Affärsidé",
        "description_en": "",
        "description_sv": "",
        "mandatory": "on",
        "duration_days": "10",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": items[0].pk,
        "items-0-text_en": items[0].text["en"],
        "items-0-ORDER": "2",
        "items-1-id": items[1].pk,
        "items-1-text_en": items[1].text["en"],
        "items-1-ORDER": "1",
        "items-1-DELETE": "on",
        "items-2-text_en": "Has tested the idea on three customers",
        "items-2-text_sv": "Har testat idén på tre kunder",
        "items-2-ORDER": "3",
    }
    response = client.post(f"/curriculum/{programme.pk}/modules/{module.pk}/", data)
    assert response.status_code == 302, response.content.decode()
    assert [i.text.get("en") for i in module.items.order_by("order")] == [
        "Describes the idea",
        "Has tested the idea on three customers",
    ]
    assert client.post(f"/curriculum/{programme.pk}/publish/").status_code == 302
    assert not Curriculum.objects.get(pk=draft.pk).is_draft
    assert client.get(f"/curriculum/{programme.pk}/v1/").status_code == 200


def test_advisers_cannot_open_the_curriculum_editor(world, client):
    client.force_login(world.adviser)

    assert client.get("/curriculum/").status_code == 403
    assert client.get(f"/curriculum/{world.programme.pk}/").status_code == 404


def test_case_in_business_plan_shows_modules_read_only(world, client):
    client.force_login(world.adviser)
    from coaching.models import CaseFile

    CaseFile.objects.filter(pk=world.case.pk).update(state=Stage.BUSINESS_PLAN)

    page = client.get(f"/cases/{world.case.pk}/modules/{world.first.pk}/").content.decode()
    assert "Save the checklist" not in page
