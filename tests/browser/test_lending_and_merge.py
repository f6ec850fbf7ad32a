"""Browser journeys: a region lead merges two people; a committee member decides; the borrower accepts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coaching.models import CaseEvent, CaseFile, Participant
from loans import services as loan_services
from loans.models import LendingPolicy, Loan, LoanApplication, LoanProduct, LoanStatus
from neem.models import Role

from ..factories import CaseFileFactory, MembershipFactory, ParticipantFactory, UserFactory, approve_plan
from .test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_region_lead_merges_two_records_of_one_person(page: Page, live_server, world):
    duplicate = ParticipantFactory(first_name="Amal", last_name="Yusof", email="AMAL@example.net")
    CaseFileFactory(participant=duplicate, region=world.north, state="intake")
    base = live_server.url
    log_in(page, base, world.lead.email)

    page.goto(f"{base}/duplicates/")
    page.get_by_role("link", name="Merge into Amal Yusuf").click()
    page.get_by_label("Amal Yusuf: Coaching (North)").check()
    page.get_by_role("button", name="Merge").click()

    expect(page.locator(".messages")).to_contain_text("The two records were merged.")
    expect(page.locator("#timeline")).to_contain_text("records merged")
    assert Participant.objects.get(pk=duplicate.pk).merged_into_id == world.case.participant_id
    assert CaseFile.objects.filter(participant=duplicate).count() == 0
    assert CaseEvent.objects.filter(case=world.case, kind=CaseEvent.Kind.MERGED).exists()


def _application_before_the_committee(world) -> LoanApplication:
    CaseFile.objects.filter(pk=world.case.pk).update(state="loan")
    case = CaseFile.objects.get(pk=world.case.pk)
    approve_plan(case, adviser=world.adviser, lead=world.lead)
    LendingPolicy.objects.create(programme=world.programme, quorum=2)
    product = LoanProduct.objects.create(
        programme=world.programme,
        name="Start loan",
        min_amount=Decimal("5000"),
        max_amount=Decimal("50000"),
        annual_rate=Decimal("5"),
        min_term=6,
        max_term=24,
        frequency="monthly",
        interest_method="declining",
        amortization="equal_installments",
    )
    application = loan_services.application_create(
        by=world.adviser,
        case=case,
        product=product,
        amount=Decimal("20000"),
        term=12,
        purpose="An oven",
        assessment="Good",
    )
    loan_services.application_submit(by=world.adviser, application_id=application.pk)
    second = MembershipFactory(user=UserFactory(), programme=world.programme, role=Role.COMMITTEE).user
    loan_services.vote_cast(by=second, application_id=application.pk, choice="approve")
    return application


def test_committee_member_decides_and_the_borrower_accepts_her_agreement(page: Page, live_server, world):
    application = _application_before_the_committee(world)
    base = live_server.url

    log_in(page, base, world.committee.email)
    expect(page).to_have_url(f"{base}/committee/")
    page.get_by_role("link", name="Amal Yusuf").click()
    page.get_by_label("approve", exact=True).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator(".messages")).to_contain_text("Your vote is recorded.")
    page.get_by_label("approved", exact=True).check()
    page.get_by_label("Reasons").fill("A sound plan.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messages")).to_contain_text("The decision is recorded.")
    loan = Loan.objects.get(application=application)

    page.context.clear_cookies()
    log_in(page, base, world.participant.email)
    page.goto(f"{base}/my/loans/{loan.pk}/agreement/")
    expect(page.locator("main")).to_contain_text("You pay back in all")
    page.get_by_label("I have read the agreement and I accept it.").check()
    page.get_by_label("Your password").fill("pw-wrong-one")
    page.get_by_role("button", name="Accept the agreement").click()
    expect(page.locator("main")).to_contain_text("The password is not right")
    page.get_by_label("I have read the agreement and I accept it.").check()
    from ..factories import PASSWORD

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Accept the agreement").click()
    expect(page.locator(".messages")).to_contain_text("You have accepted the agreement")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACCEPTED
