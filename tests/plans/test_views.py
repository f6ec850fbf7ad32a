"""The plan's pages: who sees what, the budget form, forged POSTs, query counts."""

import pytest
from django.urls import reverse

from coaching.models import CaseFile, Stage
from plans import services
from plans.models import BusinessPlan, PlanStatus, PlanVersion

from .conftest import budget_post, fresh
from .test_services import written_plan

pytestmark = pytest.mark.django_db


def url(name, case, query=""):
    return reverse(f"plans:{name}", args=[case.pk]) + query


# --- Reading -----------------------------------------------------------------------------------


def test_staff_who_see_the_case_read_the_plan(client, case, participant_user, colleague):
    written_plan(case, participant_user)
    client.force_login(colleague)
    response = client.get(url("detail", case))
    assert response.status_code == 200
    assert "Tailoring for the neighbourhood." in response.content.decode()
    assert "Submit for review" not in response.content.decode()


def test_strangers_get_404_on_every_staff_page(client, case, participant_user, stranger):
    written_plan(case, participant_user)
    client.force_login(stranger)
    for name in ("detail", "edit", "budget", "compare", "pdf"):
        assert client.get(url(name, case)).status_code == 404, name
    for name in ("comment", "submit", "approve", "return"):
        assert client.post(url(name, case), {"section": "budget", "text": "x", "reason": "x"}).status_code == 404


def test_the_participant_reaches_only_her_own_plan(client, case, participant_user, other_participant_user):
    written_plan(case, participant_user)
    client.force_login(participant_user)
    assert client.get(url("my_detail", case)).status_code == 200
    # The staff address is not for her.
    assert client.get(url("detail", case)).status_code == 404
    client.force_login(other_participant_user)
    for name in ("my_detail", "my_edit", "my_budget", "my_compare", "my_pdf"):
        assert client.get(url(name, case)).status_code == 404, name


def test_staff_cannot_use_the_participant_pages(client, case, adviser):
    client.force_login(adviser)
    assert client.get(url("my_detail", case)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(url("my_detail", case))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_case_page_shows_the_plan_panel(client, case, participant_user, adviser):
    written_plan(case, participant_user)
    client.force_login(adviser)
    response = client.get(reverse("coaching:case_detail", args=[case.pk]), {"tab": "plan"})
    body = response.content.decode()
    assert "Open the business plan" in body
    assert url("detail", case) in body


def test_her_page_links_to_her_plan(client, case, participant_user):
    client.force_login(participant_user)
    body = client.get(reverse("coaching:my_page")).content.decode()
    assert url("my_budget", case) in body


# --- Writing -----------------------------------------------------------------------------------


def test_the_participant_saves_her_sections(client, case, participant_user):
    client.force_login(participant_user)
    response = client.post(url("my_edit", case), {"business_idea": "A hair salon.", "marketing": "Word of mouth."})
    assert response.status_code == 302
    version = BusinessPlan.objects.get(case=case).latest_version
    assert version.sections["business_idea"] == "A hair salon."
    assert version.created_by == participant_user


def test_a_reader_gets_403_on_the_edit_pages(client, case, colleague):
    client.force_login(colleague)
    assert client.get(url("edit", case)).status_code == 302  # told why, sent back to the plan
    assert client.post(url("budget", case), budget_post()).status_code == 302
    assert not PlanVersion.objects.exists()


def test_the_budget_form_saves_decimals_and_shows_the_totals(client, case, participant_user):
    client.force_login(participant_user)
    response = client.post(url("my_budget", case), budget_post(**{"budget-own_savings": "5 000,50"}))
    assert response.status_code == 302
    stored = BusinessPlan.objects.get(case=case).latest_version.budget
    assert stored["financing"]["own_savings"] == "5000.50"
    assert stored["startup"] == [
        {"category": "equipment", "label": "Industrial sewing machine", "amount": "12000"},
        {"category": "stock", "label": "Fabric", "amount": "4000"},
    ]
    body = client.get(response["Location"]).content.decode()
    # Start-up 16000; financing 25000.50; sales 72000; result 12 x (6000 - 1800 - 2500) = 20400.
    assert "16,000.00 SEK" in body
    assert "25,000.50 SEK" in body
    assert '<td class="num" data-figure="result-year"><bdi class="money">20,400.00</bdi></td>' in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget-loan", "twenty thousand", "Enter an amount in figures"),
        ("budget-revenue_3", "-500", "The amount cannot be negative."),
        ("startup-0-amount", "-1", "The amount cannot be negative."),
        ("fixed-0-amount", "12,5,0", "Enter an amount in figures"),
        ("budget-cogs_percent", "130", "The share can be at most 100 %."),
        ("budget-own_savings", "1.005", "Use at most 2 decimals."),
        ("budget-loan", "1000000000", "The amount is too large"),
    ],
)
def test_bad_numbers_get_a_clear_message_and_nothing_is_saved(client, case, participant_user, field, value, message):
    client.force_login(participant_user)
    response = client.post(url("my_budget", case), budget_post(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Nothing was saved." in body
    assert not PlanVersion.objects.exists()


def test_an_amount_without_a_label_is_refused(client, case, participant_user):
    client.force_login(participant_user)
    response = client.post(url("my_budget", case), budget_post(**{"startup-0-label": ""}))
    assert response.status_code == 400
    assert "Say what the amount is for." in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_negative_cash_is_shown_as_a_warning(client, case, participant_user):
    client.force_login(participant_user)
    client.post(url("my_budget", case), budget_post(**{"budget-loan": "0", "budget-own_savings": "0"}))
    body = client.get(url("my_budget", case)).content.decode()
    # Opening 0 - 16000 start-up = -16000, then -200 a month: negative in all 12 months.
    assert "Cash is negative in 12 months" in body
    assert "The financing does not cover the start-up costs" in body


# --- Review through the pages ------------------------------------------------------------------


def test_review_through_the_pages(client, case, participant_user, adviser, lead):
    written_plan(case, participant_user)
    client.force_login(adviser)
    assert "Submit for review" in client.get(url("detail", case)).content.decode()
    client.post(url("submit", case))
    assert BusinessPlan.objects.get(case=case).status == PlanStatus.SUBMITTED

    client.force_login(lead)
    page = client.get(url("detail", case)).content.decode()
    assert "Approve version 2" in page
    client.post(url("approve", case), {"move_case": "start_loan"})

    assert BusinessPlan.objects.get(case=case).status == PlanStatus.APPROVED
    assert fresh(case).state == Stage.LOAN


def test_forged_posts_from_the_wrong_roles_are_refused(client, case, participant_user, adviser, colleague):
    written_plan(case, participant_user)
    client.force_login(colleague)
    assert client.post(url("submit", case)).status_code == 403
    assert client.post(url("comment", case), {"section": "budget", "text": "x"}).status_code == 403
    client.force_login(adviser)
    client.post(url("submit", case))
    # The submitting adviser forges the lead's approval.
    assert client.post(url("approve", case), {"move_case": ""}).status_code == 403
    assert client.post(url("return", case), {"reason": "x"}).status_code == 403
    # The participant has no staff actions at all.
    client.force_login(participant_user)
    assert client.post(url("approve", case)).status_code == 404
    assert BusinessPlan.objects.get(case=case).status == PlanStatus.SUBMITTED
    assert CaseFile.objects.get(pk=case.pk).state == Stage.BUSINESS_PLAN


def test_compare_page_shows_what_changed(client, case, participant_user):
    written_plan(case, participant_user)
    services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Tailoring and repairs."})
    client.force_login(participant_user)
    body = client.get(url("my_compare", case, "?a=1&b=3")).content.decode()
    assert "Tailoring and repairs." in body
    assert "<del>" in body and "<ins>" in body
    assert client.get(url("my_compare", case, "?a=1&b=99")).status_code == 404


def test_the_plan_page_costs_the_same_queries_whatever_the_number_of_versions(
    client, case, participant_user, adviser, django_assert_max_num_queries
):
    written_plan(case, participant_user)
    services.comment_add(case=case, by=adviser, section="business_idea", text="Good start.")
    client.force_login(adviser)
    client.get(url("detail", case))  # warm up: session, scope

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("detail", case))
    for n in range(10):
        services.plan_save_sections(case=case, by=participant_user, sections={"product": f"Draft {n}"})
        services.comment_add(case=case, by=adviser, section="product", text=f"Comment {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("detail", case))
    assert response.status_code == 200
    assert "Draft 9" in response.content.decode()
    assert len(many) == len(few)
    assert len(many) <= 20


def test_staff_reading_her_plan_is_in_her_access_log_and_her_own_reading_is_not(
    client, case, participant_user, adviser
):
    from privacy.models import AccessLog

    written_plan(case, participant_user)
    client.force_login(participant_user)
    assert client.get(reverse("plans:my_detail", args=[case.pk])).status_code == 200
    assert not AccessLog.objects.exists()

    client.force_login(adviser)
    for name in ("detail", "budget", "pdf"):
        assert client.get(url(name, case)).status_code == 200
    assert list(AccessLog.objects.values_list("user", "case", "action")) == [(adviser.pk, case.pk, "view_plan")] * 3
