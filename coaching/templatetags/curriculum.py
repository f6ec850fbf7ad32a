"""The modules panel of the case page and the participant's current module, as one-line includes.

Inclusion tags keep the shared templates (case page, "my path") to one added line each; the
reads they do are the curriculum selectors'.
"""

from __future__ import annotations

from django import template

from coaching import curriculum_selectors as cs
from coaching.translated import localized

register = template.Library()


@register.filter
def tr(value) -> str:
    """{"en": ..., "sv": ...} in the reader's language."""
    return localized(value)


@register.inclusion_tag("coaching/includes/modules_panel.html", takes_context=True)
def modules_panel(context, case):
    from neem import access

    user = context["request"].user
    progress = cs.case_progress_for_panel(case)
    from coaching.mentoring_services import active_matches_of_case

    return {
        "case": case,
        "progress": progress,
        "current": cs.current_progress(progress),
        "approved": sum(1 for p in progress if p.status == "approved"),
        "attendance": cs.attendance_summary(case),
        "matches": active_matches_of_case(case),
        "can_work": access.can_work_on_case(user, case),
        "version": progress[0].version if progress else None,
    }


@register.inclusion_tag("coaching/includes/my_module.html")
def my_current_module(case):
    progress = cs.case_progress(case)
    current = cs.current_progress(progress)
    checks = {check.item_id: check for check in current.checks.all()} if current else {}
    return {
        "case": case,
        "current": current,
        "items": [{"item": item, "check": checks.get(item.pk)} for item in current.module.items.all()]
        if current
        else [],
        "approved": sum(1 for p in progress if p.status == "approved"),
        "total": len(progress),
    }
