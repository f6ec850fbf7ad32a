"""The case page's loan panel reads the case's applications with their product, programme and loan at once."""

from __future__ import annotations

from django import template

register = template.Library()

# What the panel shows of an application: amount, status, its product's currency and its loan's status. Not the
# texts, the plan snapshot or the loan's agreement PDF, which would be read and decoded for every application.
PANEL_FIELDS = (
    "case_id",
    "amount",
    "status",
    "product__programme__currency",
    "loan__status",
)


@register.simple_tag
def loan_applications(case):
    """The case's applications with what the panel shows of each: one query, however many there are."""
    return list(case.loan_applications.select_related("product__programme", "loan").only(*PANEL_FIELDS))
