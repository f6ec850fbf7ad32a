"""In Chromium: a participant downloads her credit statement; a stranger checks its code on /verify/."""

from __future__ import annotations

import os
from datetime import date

import pytest

from loans import services as loan_services
from loans.models import Instalment
from portfolio.models import CreditStatement
from tests.loans.lending_world import active_loan, lending_world

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


def test_participant_downloads_her_statement_and_a_stranger_verifies_it(page, browser, live_server, transactional_db):
    world = lending_world()
    loan = active_loan(world, on=date(2026, 1, 15), amount="12000", term=12)
    first = Instalment.objects.filter(loan=loan, active=True).order_by("number").first()
    loan_services.repayment_record(by=world.lead, loan_id=loan.pk, amount=first.total, on=first.due_date)

    # She logs in and finds her credit history from her own page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "borrower@t.example")
    page.fill("input[name=password]", "pw-123456789")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name="My credit history").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my credit statement (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    code = CreditStatement.objects.get().code

    # A stranger, not logged in, checks the code she was shown.
    stranger = browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(f"{live_server.url}/verify/")
        other.get_by_label("Verification code").fill(code)
        other.get_by_role("button", name="Check").click()
        answer = other.get_by_role("status")
        assert "Valid" in answer.inner_text()
        assert "Bea Borrower" in answer.inner_text()
        other.get_by_label("Verification code").fill(code[:-2] + "xx")
        other.get_by_role("button", name="Check").click()
        assert "Not valid" in other.get_by_role("status").inner_text()
    finally:
        stranger.close()
