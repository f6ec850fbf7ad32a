from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from neem.templatetags import neem_format

from .. import budget, permissions, selectors

register = template.Library()


@register.filter
def money(value, currency: str = "SEK") -> str:
    """An amount in the reader's language, with the currency's decimals (neem.formats), kept readable in RTL."""
    if value is None or value == "":
        return "—"
    return neem_format.money(budget.money(value, currency), currency)


@register.filter
def amount(value, currency: str = "SEK") -> str:
    """Like money, without the currency code: for tables whose heading names the currency."""
    if value is None or value == "":
        return "—"
    return neem_format.amount(budget.money(value, currency), currency)


@register.filter
def startup_category(value: str) -> str:
    from ..forms import STARTUP_CATEGORY_CHOICES

    return str(dict(STARTUP_CATEGORY_CHOICES).get(value, value))


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{number_format(Decimal(value) * 100, decimal_pos=1)} %"


@register.inclusion_tag("plans/includes/case_panel.html", takes_context=True)
def plan_panel(context, case):
    """The "Business plan" panel on the case page."""
    user = context["request"].user
    plan = selectors.plan_for_panel(case)
    result = None
    if plan and plan.latest_version:
        result = budget.compute_data(plan.latest_version.budget, case.programme.currency)
    return {
        "case": case,
        "plan": plan,
        "result": result,
        "currency": case.programme.currency,
        "can_edit": permissions.can_edit(user, case, plan),
        "writable_stage": case.state in permissions.PLAN_STAGES,
    }


@register.inclusion_tag("plans/includes/my_links.html")
def my_plan_links(case):
    """Links to her plan on the participant's page."""
    return {
        "case": case,
        "plan": selectors.plan_of(case),
        "writable_stage": case.state in permissions.PLAN_STAGES,
    }
