"""Playwright on Debian's Chromium (Playwright's own browser download does not work here)."""

from __future__ import annotations

import os

import pytest

# The sync Playwright API runs an event loop in the test thread; Django's ORM refuses to run
# "inside" it unless told this is safe. It is: the loop only drives the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


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
def page(page):
    page.set_default_timeout(15_000)
    return page
