"""The case page's follow-up panel, rendered from the case so coaching's view need not know about it."""

from __future__ import annotations

from django import template

from neem import access

from .. import selectors

register = template.Library()


@register.inclusion_tag("portfolio/includes/follow_up_panel.html", takes_context=True)
def case_follow_up(context, case):
    user = context["request"].user
    baseline = case.participant.household_income
    visits = list(case.follow_up_visits.order_by("-date", "-id"))  # as selectors.visits, without who recorded them
    for visit in visits:
        visit.change = (
            visit.household_income - baseline if baseline is not None and visit.household_income is not None else None
        )
    return {
        "case": case,
        "visits": visits,
        "baseline": baseline,
        "currency": case.programme.currency,
        "change": selectors.income_change(case, visits),
        "change_percent": selectors.income_change_percent(case, visits),
        "running": selectors.business_running_after(case, visits=visits),
        "statements": case.participant.credit_statements.all(),
        "can_work": access.can_work_on_case(user, case),
        "can_issue": access.can_work_on_case(user, case) or access.can_assign_case(user, case),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "show": case.state in ("loan", "follow_up", "closed") or bool(visits),
    }
