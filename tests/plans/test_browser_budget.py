"""A participant fills in her budget in a real browser: a typo is refused, then the totals appear."""

import os

import pytest
from allauth.account.models import EmailAddress

from plans.models import BusinessPlan, PlanVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


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


def test_participant_fills_a_budget_section(transactional_db, live_server, page, case, participant_user):
    EmailAddress.objects.create(user=participant_user, email=participant_user.email, verified=True, primary=True)
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", participant_user.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name="My budget").click()
    page.get_by_role("heading", name="Budget of Amal Yusuf").wait_for()

    page.select_option("#id_startup-0-category", "equipment")
    page.get_by_label("What 1", exact=True).fill("Sewing machine")
    page.get_by_label("Amount 1", exact=True).fill("12 000")
    page.select_option("#id_startup-1-category", "stock")
    page.get_by_label("What 2", exact=True).fill("Fabric")
    page.get_by_label("Amount 2", exact=True).fill("4000")
    page.get_by_label("Own savings").fill("5000")
    page.get_by_label("Loan asked for").fill("twenty thousand")
    for month in range(1, 13):
        page.get_by_label(f"Sales, month {month}", exact=True).fill("6000")
    page.get_by_label("Cost of goods, as a share of sales (%)").fill("30")
    page.get_by_label("Fixed cost 1", exact=True).fill("Rent")
    page.get_by_label("Per month 1", exact=True).fill("2500")
    page.get_by_label("Loan repayment per month").fill("900")
    page.get_by_label("What you take out to live on, per month").fill("1000")
    page.get_by_role("button", name="Save the budget").click()

    # The typo is named next to its field; what she typed is kept; nothing is saved.
    page.get_by_text("Please correct the errors below. Nothing was saved.").wait_for()
    assert (
        page.locator("#id_budget-loan_error, .field-error .error")
        .first.inner_text()
        .startswith("Enter an amount in figures")
    )
    assert page.get_by_label("Amount 1", exact=True).input_value() == "12 000"
    assert not PlanVersion.objects.exists()

    page.get_by_label("Loan asked for").fill("20000")
    page.get_by_label("Loan asked for").press("Enter")

    page.get_by_text("The budget was saved as version 1.").wait_for()
    results = page.locator("#results")
    # Start-up 16000; financing 25000; result 12 x (6000 - 1800 - 2500) = 20400; cash never negative.
    assert results.locator("[data-figure=capital-total]").inner_text() == "16,000.00 SEK"
    assert results.locator("[data-figure=financing-total]").inner_text() == "25,000.00 SEK"
    assert results.locator("[data-figure=result-year]").inner_text() == "20,400.00"
    assert results.locator("[data-figure=break-even]").inner_text() == "3,571.43 SEK"
    assert "Cash is negative" not in results.inner_text()

    version = BusinessPlan.objects.get(case=case).latest_version
    assert version.created_by == participant_user
    assert version.budget["startup"][0] == {"category": "equipment", "label": "Sewing machine", "amount": "12000"}
