"""A visitor signs up for a workshop in Swedish, in a real browser."""

from __future__ import annotations

import os

import pytest

from coaching.models import CaseFile, Stage

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_signs_up_for_a_workshop_in_swedish(live_server, page, workshop_sv, stockholm):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Svenska").click()
    page.goto(live_server.url + workshop_sv.url)

    page.get_by_label("Förnamn").fill("Amina")
    page.get_by_label("Efternamn").fill("Hassan")
    page.get_by_label("E-post").fill("amina.hassan@example.org")
    page.get_by_label("Telefon (frivilligt)").fill("070-123 45 67")
    page.get_by_label("Språk vi ska skriva till dig på").select_option("sv")
    page.get_by_label("Var bor du?").select_option(label="Stockholm")
    page.get_by_label("Hur hörde du talas om oss?").select_option("word_of_mouth")
    page.get_by_label("Jag har läst integritetsinformationen").check()
    assert not page.locator('input[name="website"]').is_visible()
    page.wait_for_timeout(2000)  # a person takes a moment
    page.get_by_role("button", name="Anmäl dig").click()

    page.get_by_text("Tack, Amina! Din plats den").wait_for()
    assert page.url.endswith(workshop_sv.url + "#main")
    assert page.locator("html").get_attribute("lang") == "sv"
    case = CaseFile.objects.select_related("participant").get()
    assert (case.participant.email, case.state, case.adviser_id) == ("amina.hassan@example.org", Stage.MOBILISED, None)
    assert case.participant.preferred_language == "sv"
