"""Whole journeys in a real browser: an adviser moves a case on; a participant stays on her own page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from coaching.models import CaseFile, Stage

from ..factories import PASSWORD

# transaction=True: the live server reads from another thread. serialized_rollback restores what
# the migrations created (Wagtail's root page and site), which the flush after the test removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_load_state()


def test_adviser_finds_a_participant_and_moves_her_case_on(page: Page, live_server, world):
    base = live_server.url
    log_in(page, base, world.adviser.email)
    expect(page).to_have_url(f"{base}/cases/")

    page.fill('input[name="q"]', "yusuf")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    page.locator("table.cases").get_by_role("link", name="Amal Yusuf").click()

    expect(page).to_have_url(f"{base}/cases/{world.case.pk}/")
    expect(page.locator(".page-head .stage")).to_have_text("Coaching")
    form = page.locator("form.transition").filter(has_text="Move on to the business plan")
    form.locator("textarea[name=note]").fill("All modules done.")
    form.get_by_role("button", name="Move on to the business plan").click()

    expect(page.locator(".messages")).to_contain_text("The case moved on.")
    expect(page.locator(".page-head .stage")).to_have_text("Business plan")
    first_event = page.locator("#timeline li.event").first
    expect(first_event).to_contain_text("Coaching → Business plan")
    expect(first_event).to_contain_text("All modules done.")
    expect(first_event).to_contain_text(str(world.adviser))
    assert CaseFile.objects.get(pk=world.case.pk).state == Stage.BUSINESS_PLAN


def test_participant_lands_on_her_page_and_cannot_open_another_case(page: Page, live_server, world):
    base = live_server.url
    log_in(page, base, world.participant.email)

    expect(page).to_have_url(f"{base}/my/")
    expect(page.locator("h1")).to_have_text("Hello Amal")
    expect(page.locator("main")).to_contain_text("Coaching")

    response = page.goto(f"{base}/cases/{world.other_case.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("Not Found")
    expect(page.locator("body")).not_to_contain_text("Rania")
    # Her own case's staff page is closed to her too.
    response = page.goto(f"{base}/cases/{world.case.pk}/")
    assert response is not None and response.status == 404
