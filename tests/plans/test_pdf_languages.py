"""PDFs in Arabic and Vietnamese: the shipped Noto fonts are embedded, the text is there, Arabic runs right to left.

The plan PDF (plans/pdf.py) and the base every other PDF extends (loans/pdf_base.html: agreements,
receipts, credit statements, committee minutes) both include templates/includes/pdf_fonts.html.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.template import Context, Template
from django.utils import translation

from coaching.models import Participant
from plans import pdf, services
from plans.models import BusinessPlan

from .test_services import small_budget

pytestmark = pytest.mark.django_db

ARABIC_NAME = ("أمل", "يوسف")
ARABIC_IDEA = "خياطة لأهل الحي"
VIETNAMESE_NAME = ("Hương", "Nguyễn Thị")
VIETNAMESE_IDEA = "Quán phở nhỏ gần chợ, mở cửa từ sáu giờ sáng."


def pdf_facts(data: bytes) -> tuple[set[str], str, list[tuple[float, str]]]:
    """(embedded font names, extracted text (NFKC), (x, text) of each text run on page 1)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")).split("+")[-1])
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in reader.pages))
    runs: list[tuple[float, str]] = []

    def visit(text_run, cm, tm, font_dict, font_size):
        if text_run.strip():
            runs.append((tm[4] * cm[0] + cm[4], text_run))

    reader.pages[0].extract_text(visitor_text=visit)
    return fonts, text, runs


def plan_pdf_in(case, participant_user, *, language: str, first: str, last: str, idea: str) -> bytes:
    Participant.objects.filter(pk=case.participant_id).update(
        preferred_language=language, first_name=first, last_name=last
    )
    services.plan_save_sections(case=case, by=participant_user, sections={"business_idea": idea})
    services.plan_save_budget(case=case, by=participant_user, data=small_budget())
    plan = BusinessPlan.objects.select_related("case__participant", "case__programme").get(case=case)
    return pdf.plan_pdf(plan, plan.latest_version), pdf.plan_html(plan, plan.latest_version)


def test_an_arabic_plan_embeds_noto_sans_arabic_and_runs_right_to_left(case, participant_user):
    data, html = plan_pdf_in(
        case, participant_user, language="ar", first=ARABIC_NAME[0], last=ARABIC_NAME[1], idea=ARABIC_IDEA
    )
    assert '<html lang="ar" dir="rtl">' in html
    fonts, text, runs = pdf_facts(data)
    # WeasyPrint names an embedded @font-face font after its CSS family (pdf_fonts.html).
    assert "Neem-Sans-Arabic" in fonts
    assert "Neem-Sans" in fonts  # the figures and the currency code
    # The Arabic letters are real text (not boxes): the name and the idea come back out of the PDF.
    for word in (*ARABIC_NAME, "خياطة"):
        assert word in text or word[::-1] in text, word
    # Right to left: the heading (her name) ends at the right margin, so it starts right of the middle.
    page_width = 595
    name_runs = [x for x, run in runs if any(part in unicodedata.normalize("NFKC", run) for part in ARABIC_NAME)]
    assert name_runs and min(name_runs) > page_width / 3


def test_a_vietnamese_plan_embeds_noto_sans_with_every_diacritic(case, participant_user):
    data, html = plan_pdf_in(
        case, participant_user, language="vi", first=VIETNAMESE_NAME[0], last=VIETNAMESE_NAME[1], idea=VIETNAMESE_IDEA
    )
    assert '<html lang="vi" dir="ltr">' in html
    fonts, text, _runs = pdf_facts(data)
    assert "Neem-Sans" in fonts
    assert not any("Arabic" in font for font in fonts)
    for word in ("Hương", "Nguyễn", "Thị", "phở", "chợ", "giờ", "sáng"):
        assert word in unicodedata.normalize("NFC", text), word


def test_the_base_of_agreements_receipts_and_statements_uses_the_shipped_fonts():
    from weasyprint import HTML

    template = Template(
        '{% extends "loans/pdf_base.html" %}{% load neem_format %}{% block body %}'
        "<h1>{{ name }}</h1><p>{{ amount|money:'VND' }}</p>{% endblock %}"
    )
    with translation.override("ar"):
        html = template.render(Context({"name": "أمل يوسف", "amount": "2500000"}))
    assert 'dir="rtl"' in html and "file://" in html
    fonts, text, _runs = pdf_facts(HTML(string=html).write_pdf())
    assert {"Neem-Sans-Arabic", "Neem-Sans"} <= fonts or {"Neem-Sans-Arabic-Bold", "Neem-Sans"} <= fonts
    # VND has no decimals; on a right-to-left line the code is laid out to the left of the figure.
    assert "VND 2,500,000" in text or "2,500,000 VND" in text
