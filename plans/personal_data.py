"""Her business plan, for her data export and her erasure (see privacy.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.erasure import scrub_model
from privacy.registry import register_eraser, register_exporter

from .models import BusinessPlan, PlanVersion, SectionComment


def export(participant, cases):
    plans = []
    for plan in BusinessPlan.objects.filter(case__in=cases).select_related("latest_version", "approved_version"):
        latest = plan.latest_version
        plans.append(
            {
                "status": plan.get_status_display(),
                "approved_at": plan.approved_at,
                "latest_version": latest.number if latest else None,
                "sections": latest.sections if latest else {},
                "budget": latest.budget if latest else {},
                "comments": list(
                    SectionComment.objects.filter(version__plan=plan).values("section", "text", "created_at")
                ),
            }
        )
    return plans


def erase(context) -> int:
    """The plan stays behind her loan's decision, under the pseudonym: her words in it are replaced."""
    return (
        scrub_model(context, BusinessPlan)
        + scrub_model(context, PlanVersion, lookup="plan__case_id__in")
        + scrub_model(context, SectionComment, lookup="version__plan__case_id__in")
    )


register_exporter("plans", export, title=_("Business plan"), order=40)
register_eraser("plans", erase)
