"""The plan as a PDF (WeasyPrint), in the participant's language. The one place that calls WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from . import budget
from .models import BusinessPlan, PlanVersion
from .sections import SECTIONS


def plan_html(plan: BusinessPlan, version: PlanVersion) -> str:
    """The HTML the PDF is made of, rendered in the participant's preferred language."""
    case = plan.case
    with translation.override(case.participant.preferred_language or case.programme.default_language):
        return render_to_string(
            "plans/plan_pdf.html",
            {
                "case": case,
                "participant": case.participant,
                "plan": plan,
                "version": version,
                "is_approved_version": plan.approved_version_id == version.pk,
                "sections": [(s, version.sections.get(s.key, "")) for s in SECTIONS],
                "result": budget.compute_data(version.budget, case.programme.currency),
                "data": budget.from_data(version.budget),
                "currency": case.programme.currency,
                "LANGUAGE_CODE": translation.get_language(),
            },
        )


def plan_pdf(plan: BusinessPlan, version: PlanVersion) -> bytes:
    from weasyprint import HTML

    return HTML(string=plan_html(plan, version)).write_pdf()
