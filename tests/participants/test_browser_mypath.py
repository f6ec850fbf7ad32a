"""A participant on her phone (360 px): logs in, reads her path, opens her plan, ticks her reminder
choice and downloads a receipt. Screenshots go to var/screenshots/ (not committed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import with_loan

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed: make browser-deps")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
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


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 780}, "accept_downloads": True}


def test_participant_on_a_phone_follows_her_path_and_downloads_a_receipt(
    page: Page, live_server, transactional_db, world
):
    page.set_default_timeout(20_000)
    loan = with_loan(world, repayments=1)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', world.participant.email)
    page.fill('input[name="password"]', "pw-123456789")
    page.press('input[name="password"]', "Enter")

    expect(page).to_have_url(f"{base}/my/")
    expect(page.locator("h1")).to_have_text("Hello Amal")
    expect(page.locator(".path-steps [aria-current=step]")).to_contain_text("Your loan")
    expect(page.locator(".path-loan")).to_contain_text("Left to pay")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "my-path-360.png"), full_page=True)

    page.get_by_role("link", name="Open my business plan").click()
    expect(page).to_have_url(f"{base}/my/plan/{world.case.pk}/")
    expect(page.locator("h1")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "my-plan-360.png"), full_page=True)
    page.go_back()

    sms = page.get_by_label("send me reminders by text message (SMS)", exact=False)
    sms.uncheck()
    page.locator("#reminders").get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    expect(page.get_by_label("send me reminders by text message (SMS)", exact=False)).not_to_be_checked()

    with page.expect_download() as download_info:
        page.locator(".path-loan").get_by_role("link", name="Receipt (PDF)").click()
    download = download_info.value
    target = SCREENSHOTS / "receipt.pdf"
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.startswith(f"receipt-{loan.pk}-")


def test_every_participant_page_fits_a_phone(page: Page, live_server, transactional_db, world):
    """No participant page scrolls sideways at 360 px: her path, plan (read, edit, budget, compare), loan,
    agreement, messages, documents and credit history."""
    page.set_default_timeout(20_000)
    loan = with_loan(world, repayments=1)
    base = live_server.url
    case = world.case.pk
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', world.participant.email)
    page.fill('input[name="password"]', "pw-123456789")
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(f"{base}/my/")

    too_wide = {}
    for path in [
        "/my/",
        f"/my/plan/{case}/",
        f"/my/plan/{case}/edit/",
        f"/my/plan/{case}/budget/",
        f"/my/plan/{case}/compare/",
        f"/my/loans/{loan.pk}/",
        f"/my/loans/{loan.pk}/agreement/",
        f"/my/messages/{case}/",
        f"/my/documents/{case}/",
        "/my/credit-history/",
    ]:
        response = page.goto(base + path)
        assert response.status < 400, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
        page.screenshot(path=str(SCREENSHOTS / f"phone{path.replace('/', '-').rstrip('-')}.png"), full_page=True)
    assert too_wide == {}
