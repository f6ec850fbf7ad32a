"""WCAG 2.1 AA on the main journeys of every kind of user, in English and in Arabic (right to left).

axe-core (bundled by axe-playwright-python) runs on every page and the test fails on any violation.
The pages are the demo's (`seed_demo`): a server of its own with a freshly seeded SQLite database,
so every page has the data people see (a plan, a loan, messages, documents, applications, figures).
`--reuse-db` (the default in pyproject) keeps the seeded database under var/a11y/ between runs;
`--create-db` (as `make test` does) seeds it afresh.

Also here: keyboard focus is visible, text at 200 % scales without a horizontal scroll, and
screenshots of My path and the case page in Arabic (var/screenshots/) with the direction checked.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser]

ROOT = Path(settings.BASE_DIR)
PASSWORD = "neem-demo-2026"
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
LANGUAGES = ["en", "ar"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(request):
    """runserver on a seeded copy of the demo, in the development settings (files on disk)."""
    folder = ROOT / "var" / "a11y"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "demo.sqlite3"
    options = request.config.option
    reuse = getattr(options, "reuse_db", False) and not getattr(options, "create_db", False) and database.exists()
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neem.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "NEEM_ENFORCE_STAFF_MFA": "false",
        "DEBUG": "true",
        "CACHE_URL": "locmemcache://",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    if not reuse:
        subprocess.run([*manage, "seed_demo", "--quiet"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the demo server did not start")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def axe():
    return Axe()


def log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    page.wait_for_load_state()


def switch_language(page: Page, code: str) -> None:
    """The header's language switch, as she would use it (for a logged-in person it is kept on her profile)."""
    page.select_option("#language-select", code)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


def violations(axe: Axe, page: Page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        found.append(f"{page.url} [{violation['id']}] {violation['help']}: {targets}")
    return found


def check(axe: Axe, page: Page, url: str, problems: list[str], language: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    problems += violations(axe, page)


def href(page: Page, selector: str) -> str:
    link = page.locator(selector).first
    expect(link).to_be_attached()
    return link.get_attribute("href")


def journey_pages(page: Page, base: str, who: str) -> list[str]:
    """The URLs of her main journey, found the way she finds them (from her landing page)."""
    if who == "adviser.stockholm@example.com":
        page.goto(f"{base}/cases/")
        case = href(page, "table.cases tbody a[href^='/cases/']")
        page.goto(base + case)
        pages = [f"{base}/cases/", base + case, f"{base}/today/"]
        notes = page.locator("a[href*='/notes/'][href$='/edit/'], a[href*='/notes/'][href$='/correct/']")
        if notes.count():
            pages.append(base + notes.first.get_attribute("href"))
        return pages
    if who == "participant@example.com":
        page.goto(f"{base}/my/")
        return [
            f"{base}/my/",
            base + href(page, "a[href^='/my/plan/']"),
            base + href(page, "a[href^='/my/messages/']"),
            base + href(page, "a[href^='/my/documents/']"),
        ]
    if who == "borrower@example.com":
        page.goto(f"{base}/my/")
        return [f"{base}/my/", base + href(page, "a[href^='/my/loans/']")]
    if who == "committee@example.com":
        page.goto(f"{base}/committee/")
        return [f"{base}/committee/", base + href(page, "a[href^='/loans/applications/']")]
    if who == "manager@example.com":
        return [f"{base}/outcomes/", f"{base}/portfolio/"]
    raise AssertionError(who)


def test_axe_reports_a_violation_when_there_is_one(page: Page, demo_server, axe):
    """The checks below would pass silently if axe did not run: a page with faults must fail."""
    page.goto(f"{demo_server}/accounts/login/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/none.png"><input type="text"><p id="pale">pale</p>\');'
        # Styled from script, not with a style attribute, which the Content-Security-Policy refuses.
        " Object.assign(document.getElementById('pale').style, {color: '#bbb', background: '#fff'});"
    )
    found = " ".join(violations(axe, page))
    for rule in ("image-alt", "label", "color-contrast"):
        assert f"[{rule}]" in found, found


STAFF_AND_PARTICIPANTS = [
    "adviser.stockholm@example.com",
    "participant@example.com",
    "borrower@example.com",
    "committee@example.com",
    "manager@example.com",
]


@pytest.mark.parametrize("who", STAFF_AND_PARTICIPANTS)
def test_every_page_of_her_journey_passes_axe_in_english_and_arabic(page: Page, demo_server, axe, who):
    base = demo_server
    log_in(page, base, who)
    problems: list[str] = []
    try:
        for language in LANGUAGES:
            switch_language(page, language)
            for url in journey_pages(page, base, who):
                check(axe, page, url, problems, language)
    finally:
        switch_language(page, "en")
    assert problems == [], "\n".join(problems)


def test_the_public_site_and_the_login_pass_axe_in_english_and_arabic(page: Page, demo_server, axe):
    base = demo_server
    problems: list[str] = []
    public = {
        "en": ["/en/", "/en/workshops/", "/en/workshops/stockholm-information-workshop/", "/en/i-am-interested/"],
        "ar": [
            "/ar/",
            "/ar/liqaat-tarifiya/",
            "/ar/liqaat-tarifiya/stockholm-information-workshop/",
            "/ar/ana-muhtamma/",
        ],
    }
    for language in LANGUAGES:
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        switch_language(page, language)
        check(axe, page, f"{base}/accounts/login/", problems, language)
        for path in public[language]:
            check(axe, page, base + path, problems, language)
    assert problems == [], "\n".join(problems)


def test_arabic_pages_run_right_to_left_screenshots(page: Page, demo_server):
    base = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for who, path, name in (
        ("borrower@example.com", "/my/", "my-path-ar.png"),
        ("adviser.stockholm@example.com", None, "case-page-ar.png"),
    ):
        log_in(page, base, who)
        switch_language(page, "ar")
        try:
            if path is None:
                page.goto(f"{base}/cases/")
                path = href(page, "table.cases tbody a[href^='/cases/']")
            page.goto(base + path)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            # The heading's text (measured on the text, not its block) hugs the right of its container.
            to_right, to_left = page.evaluate(
                """(() => { const h = document.querySelector('main h1'), r = document.createRange();
                r.selectNodeContents(h); const t = r.getBoundingClientRect();
                const c = h.parentElement.getBoundingClientRect();
                return [c.right - t.right, t.left - c.left]; })()"""
            )
            assert to_right < 40 < to_left, (to_right, to_left)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, "no horizontal scroll right to left either"
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        finally:
            switch_language(page, "en")


def test_an_adviser_writes_a_note_with_the_keyboard_alone(page: Page, demo_server, axe):
    """A form used by keyboard only (Tab, typing, Enter), each control showing its focus; then the note's page passes axe."""
    base = demo_server
    log_in(page, base, "adviser.stockholm@example.com")
    page.goto(f"{base}/cases/")
    for link in page.locator("table.cases tbody a[href^='/cases/']").all()[:10]:
        case_url = base + link.get_attribute("href")
        other = page.context.new_page()
        other.goto(case_url)
        can_write = other.locator("form[action$='/notes/'] textarea").count() > 0
        other.close()
        if can_write:
            break
    else:
        pytest.fail("no case of hers to write a note on")
    page.goto(case_url)
    page.locator("form[action$='/notes/'] textarea").focus()
    page.keyboard.type("Called her about the budget; she will send the quote.")
    for _ in range(5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.tagName, e.textContent.trim(), s.outlineStyle, s.outlineWidth]; })()"
        )
        assert focused[2] == "solid" and focused[3] != "0px", focused
        if focused[0] == "BUTTON" and focused[1] == "Add note":
            break
    else:
        pytest.fail("Tab never reached the button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Called her about the budget")
    edit = page.locator("a[href*='/notes/'][href$='/edit/']").first
    page.goto(base + edit.get_attribute("href"))
    problems = violations(axe, page)
    assert problems == [], "\n".join(problems)


def test_an_adviser_moves_between_the_case_tabs_with_the_keyboard_alone(page: Page, demo_server, axe):
    """The case's tabs are links in a labelled navigation: reached with Tab, each showing its focus, opened with
    Enter; the tab opened is marked as the current page and passes axe."""
    base = demo_server
    log_in(page, base, "adviser.stockholm@example.com")
    page.goto(f"{base}/cases/")
    case_url = base + page.locator("table.cases tbody a[href^='/cases/']").first.get_attribute("href")
    page.goto(case_url)
    tabs = page.get_by_role("navigation", name="Parts of the case")
    tabs.get_by_role("link").first.focus()  # the overview's tab
    for label in ("Coaching", "Business plan", "Loan and follow-up", "Messages and documents"):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.textContent.trim(), s.outlineStyle, s.outlineWidth]; })()"
        )
        assert focused[0].startswith(label), focused
        assert focused[1] == "solid" and focused[2] != "0px", focused
    page.keyboard.press("Enter")  # on "Messages and documents"
    page.wait_for_url("**/?tab=pages")
    current = tabs.locator("a[aria-current='page']")
    expect(current).to_have_text("Messages and documents")
    expect(page.locator("main")).to_contain_text("Messages with the participant")
    problems = violations(axe, page)
    assert problems == [], "\n".join(problems)


def test_keyboard_focus_is_visible(page: Page, demo_server):
    base = demo_server
    page.goto(f"{base}/accounts/login/")
    page.keyboard.press("Tab")  # the skip link
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.fill('input[name="login"]', "")
    page.focus('input[name="login"]')
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style[0] == "solid" and style[1] != "0px"


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        (None, ["/accounts/login/", "/en/", "/en/i-am-interested/"]),
        ("participant@example.com", ["/my/", "plan"]),
        ("borrower@example.com", ["loan"]),
        ("adviser.stockholm@example.com", ["/cases/", "case"]),
    ],
)
def test_text_at_200_percent_needs_no_horizontal_scroll(browser, demo_server, who, paths):
    """WCAG 1.4.4 and 1.4.10: a 1280 px window zoomed to 200 % lays pages out in 640 CSS pixels at two
    device pixels each, as Chromium's zoom does; nothing may need a horizontal scroll (tables scroll in their box)."""
    base = demo_server
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    if who:
        log_in(page, base, who)
    else:
        page.context.clear_cookies()
    resolved = []
    for path in paths:
        if path == "plan":
            page.goto(f"{base}/my/")
            path = href(page, "a[href^='/my/plan/']")
        elif path == "loan":
            page.goto(f"{base}/my/")
            path = href(page, "a[href^='/my/loans/']")
        elif path == "case":
            page.goto(f"{base}/cases/")
            path = href(page, "table.cases tbody a[href^='/cases/']")
        resolved.append(path)
    overflowing = []
    for path in resolved:
        page.goto(base + path)
        assert page.evaluate("window.devicePixelRatio") == 2
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client + 1:
            overflowing.append(f"{path}: {scroll} > {client}")
    context.close()
    assert overflowing == []


def test_the_plan_fits_a_phone(page: Page, demo_server):
    """Issue #9's last gap: her plan page at 360 px is no wider than the screen."""
    base = demo_server
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, base, "participant@example.com")
    page.goto(f"{base}/my/")
    page.goto(base + href(page, "a[href^='/my/plan/']"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
