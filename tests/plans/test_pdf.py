"""The plan as a PDF: a real PDF, in her language, with her name and the budget's totals."""

import pytest
from django.urls import reverse

from plans import pdf, services
from plans.models import BusinessPlan

from .test_services import written_plan

pytestmark = pytest.mark.django_db


def laid_out_text(html: str) -> str:
    """The text WeasyPrint actually placed on the pages (no PDF text extractor is installed here)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    words = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            words.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(words)


def test_the_pdf_download_is_a_pdf_attachment(client, case, participant_user):
    written_plan(case, participant_user)
    client.force_login(participant_user)
    response = client.get(reverse("plans:my_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="business-plan-amal-yusuf-v2.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert b"%%EOF" in response.content[-1024:]


def test_the_pdf_holds_her_name_and_the_totals(case, participant_user):
    written_plan(case, participant_user)
    plan = BusinessPlan.objects.select_related("case__participant", "case__programme").get(case=case)
    html = pdf.plan_html(plan, plan.latest_version)
    # Start-up 15000; financing 5000 + 20000 = 25000; result 12 x (6000 - 1800 - 2500) = 20400.
    for expected in (
        "Amal Yusuf",
        "15,000.00 SEK",
        "25,000.00 SEK",
        "20,400.00",
        "Tailoring for the neighbourhood.",
    ):
        assert expected in html
    text = laid_out_text(html)
    for expected in ("Amal", "Yusuf", "15,000.00", "25,000.00", "20,400.00"):
        assert expected in text


def test_the_pdf_is_in_her_language(case, participant_user):
    case.participant.preferred_language = "sv"
    case.participant.save()
    written_plan(case, participant_user)
    plan = BusinessPlan.objects.select_related("case__participant", "case__programme").get(case=case)
    html = pdf.plan_html(plan, plan.latest_version)
    assert 'lang="sv"' in html
    # Swedish number format: a space groups thousands and a comma marks decimals.
    assert "15\xa0000,00 SEK" in html or "15 000,00 SEK" in html


def test_an_older_version_can_be_printed(client, case, participant_user, adviser):
    written_plan(case, participant_user)
    services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": "Changed later."})
    client.force_login(adviser)
    response = client.get(reverse("plans:pdf", args=[case.pk]) + "?version=1")
    assert response.status_code == 200
    assert "v1.pdf" in response["Content-Disposition"]
    assert client.get(reverse("plans:pdf", args=[case.pk]) + "?version=9").status_code == 404
