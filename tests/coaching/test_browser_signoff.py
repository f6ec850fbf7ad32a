"""An adviser signs off a module in a real browser: ticks the checklist, approves, the next module opens."""

from __future__ import annotations

import os

import pytest

from coaching import services
from coaching.models import CaseEvent, ModuleProgress

from .curriculum_fixtures import PASSWORD, World

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def test_adviser_signs_off_a_module(page, live_server, transactional_db):
    world = World()
    services.case_transition(case_id=world.case.pk, by=world.adviser, name="admit")
    first = ModuleProgress.objects.get(case=world.case, module__order=1)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", world.adviser.email)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/**")

    page.goto(f"{live_server.url}/cases/{world.case.pk}/")
    # The modules are on the case's Coaching tab, marked as the current stage's.
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Coaching (current stage)"
    ).click()
    page.wait_for_url(f"**/cases/{world.case.pk}/?tab=coaching")
    page.get_by_role("link", name="Go to the current module: Business idea").click()
    page.wait_for_url(f"**/modules/{first.pk}/")

    # Approving too early is refused with the reason.
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("must be ticked").is_visible()

    checklist = page.locator("#checklist")
    checklist.get_by_label("Describes the idea", exact=True).check()
    checklist.get_by_label("Names the customers", exact=True).check()
    checklist.get_by_label("Note on “Names the customers”").fill("Hair salon for busy mothers")
    page.get_by_role("button", name="Save the checklist").click()
    page.get_by_text("The checklist was saved.").wait_for()

    page.get_by_label("Note (needed if an optional item is not ticked)").fill("Ready for marketing")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("“Business idea” is approved.").wait_for()

    # Landed on the next module, which is now open.
    assert page.get_by_role("heading", name="Marketing", level=1).is_visible()
    first = ModuleProgress.objects.get(pk=first.pk)
    assert first.status == "approved" and first.approved_by_id == world.adviser.pk
    assert ModuleProgress.objects.get(case=world.case, module__order=2).status == "open"
    assert CaseEvent.objects.filter(case=world.case, data__result="approved").exists()
