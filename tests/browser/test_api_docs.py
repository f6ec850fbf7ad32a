"""The API's interactive docs work offline and under the Content-Security-Policy (the autouse fixture in
tests/conftest.py fails the test on any policy violation Chromium reports)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_interactive_docs_list_the_operations(page: Page, live_server):
    external = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else external.append(r.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Neem")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/cases").first).to_be_visible()
    assert external == []
