"""The two admins still work under their Content-Security-Policy (neem/csp.py), in a real browser: the
autouse guard in tests/conftest.py fails the test on any violation Chromium reports."""

from __future__ import annotations

import os

import pytest

from tests.factories import PASSWORD, UserFactory

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
def test_an_administrator_works_in_both_admins_without_a_policy_violation(live_server, page, home):
    user = UserFactory(is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/cms-admin/")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form[action*="login"] button[type="submit"]').click()
    page.wait_for_url("**/cms-admin/")

    page.goto(f"{live_server.url}/cms-admin/pages/{home.pk}/edit/")
    page.locator('input[name="title"]').wait_for()
    page.wait_for_load_state("networkidle")

    page.goto(live_server.url + "/admin/")
    page.wait_for_load_state("networkidle")
    page.goto(live_server.url + "/admin/neem/user/")
    page.locator("#result_list").wait_for()
    page.wait_for_load_state("networkidle")
