"""The whole happy path in Chromium against localstripe: pay page, localstripe's Stripe.js, webhook, receipt, manager.

What localstripe's Stripe.js can do (localstripe 1.15.10): its card element is plain text inputs that can be typed
into, but its `confirmCardPayment` ignores the card data and only completes a 3-D Secure step: it opens its own
"Complete authentication" dialog and posts `/_authenticate`, which succeeds only for a PaymentIntent that already has a
card needing authentication and was confirmed server-side (status `requires_action`). A fresh PaymentIntent (status
`requires_payment_method`) gets a 400. Its API also answers 500 to confirm-with-a-payment-method. So the test plays the
part of Stripe's card network: it attaches a 3-D Secure test card to the PaymentIntent over localstripe's API and
confirms it; then the page's own pay.js calls `confirmCardPayment` through localstripe's Stripe.js, and the participant
completes the authentication in the browser. localstripe then sends its own signed webhook, in its old API version
(2017-08-15), which Neem verifies, stores and refuses for the version; the test posts the current-shape event, signed.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.utils import timezone

from loans import services
from loans.models import EntryKind, LedgerEntry, OnlinePayment, StripeEvent
from tests.loans.lending_world import active_loan, assert_ledger_consistent, lending_world
from tests.payments.stripe_world import WEBHOOK_SECRET, event, sign

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect


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


def _localstripe(base: str, path: str, data: dict | None = None) -> dict:
    body = urllib.parse.urlencode(data or {}).encode()
    request = urllib.request.Request(f"{base}{path}", data=body, headers={"Authorization": "Bearer sk_test_neem"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
    return json.loads(text) if text else {}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "pw-123456789")
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()
    page.wait_for_load_state()


def post_webhook(base: str, data: dict) -> int:
    payload = json.dumps(data)
    request = urllib.request.Request(
        f"{base}/stripe/webhook/",
        data=payload.encode(),
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_participant_pays_an_instalment_by_card_and_the_manager_sees_a_reconciled_day(
    page, live_server, stripe_on, localstripe
):
    world = lending_world()
    loan = active_loan(world)
    owed_before = services.ledger_balance(loan)["owed"]
    nxt = services.loan_position(loan).next_instalment
    _localstripe(
        localstripe, "/_config/webhooks/neem", {"url": f"{live_server.url}/stripe/webhook/", "secret": WEBHOOK_SECRET}
    )

    # She opens her loan, chooses "Pay now" and the next instalment.
    log_in(page, live_server.url, "borrower@t.example")
    page.goto(f"{live_server.url}/my/loans/{loan.pk}/")
    page.get_by_role("link", name="Pay now").click()
    expect(page.get_by_label(re.compile("The next instalment"))).to_be_checked()
    page.get_by_role("button", name="Continue to card payment").click()

    # The card page: localstripe's Stripe.js has mounted its card element.
    card = page.locator("#card-element")
    expect(card.locator("input[placeholder=number]")).to_be_visible()
    payment = OnlinePayment.objects.get()
    assert payment.amount == nxt.total_outstanding
    card.locator("input[placeholder=number]").fill("4000002760003184")
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("41101")

    # The card network's part (see the module docstring): a 3-D Secure card on the intent, confirmed.
    method = _localstripe(
        localstripe,
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "4000002760003184",
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
        },
    )
    _localstripe(localstripe, f"/v1/payment_intents/{payment.payment_intent_id}", {"payment_method": method["id"]})
    confirmed = _localstripe(localstripe, f"/v1/payment_intents/{payment.payment_intent_id}/confirm")
    assert confirmed["status"] == "requires_action"

    page.get_by_role("button", name=re.compile("^Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.locator("#pay-result")).to_contain_text("Your payment went through")

    # localstripe's own webhook arrives signed with our secret, in its old API version: stored, refused. (The event
    # is stored in one transaction and answered in the next: wait for the answer, not only for the row.)
    succeeded = StripeEvent.objects.filter(type="payment_intent.succeeded", processed_at__isnull=False)
    deadline = time.monotonic() + 10
    while not succeeded.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    from_localstripe = StripeEvent.objects.get(type="payment_intent.succeeded")
    assert from_localstripe.result == "rejected: api version 2017-08-15"
    assert not LedgerEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).exists()

    # Stripe's current-shape event, signed, records the repayment; the page sees it.
    assert (
        post_webhook(
            live_server.url,
            event(
                "payment_intent.succeeded",
                payment_intent=payment.payment_intent_id,
                amount=payment.amount,
                currency="SEK",
            ),
        )
        == 200
    )
    expect(page.locator("#pay-result")).to_contain_text("Your payment is recorded on your loan", timeout=10_000)

    # Her balance and receipts.
    page.goto(f"{live_server.url}/my/loans/{loan.pk}/")
    owed_after = owed_before - payment.amount
    assert services.ledger_balance(loan)["owed"] == owed_after
    expect(page.locator("dl.facts")).to_contain_text(f"{owed_after:,} SEK")
    expect(page.locator("#receipts-heading + ul")).to_contain_text(f"{payment.amount:,} SEK")
    expect(page.locator("#pay-now")).to_contain_text("is recorded")
    assert_ledger_consistent(loan)

    # The manager's reconciliation of the day.
    page.context.clear_cookies()
    log_in(page, live_server.url, "manager@t.example")
    today = timezone.localdate().isoformat()
    page.goto(f"{live_server.url}/loans/reconciliation/?from={today}&to={today}")
    expect(page.locator("#reconciled")).to_contain_text("Reconciled")
    expect(page.locator("table")).to_contain_text(payment.payment_intent_id)
    assert Decimal(page.locator("table tbody td.num").first.inner_text().split()[0].replace(",", "")) == payment.amount


def test_the_page_says_online_payment_is_unavailable_when_stripe_js_cannot_load(
    page, live_server, stripe_on, localstripe
):
    world = lending_world()
    loan = active_loan(world)
    stripe_on.STRIPE_JS_URL = "http://127.0.0.1:9/js.stripe.com/v3/"  # nothing listens there
    log_in(page, live_server.url, "borrower@t.example")
    page.goto(f"{live_server.url}/my/loans/{loan.pk}/pay/")
    page.get_by_role("button", name="Continue to card payment").click()
    expect(page.locator("#pay-unavailable")).to_be_visible()
    expect(page.locator("#pay-unavailable")).to_contain_text("Online payment is unavailable")
    expect(page.locator("#card-form")).to_be_hidden()
