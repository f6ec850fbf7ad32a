"""The case page's loan panel reads the case's applications with their product, programme and loan at once."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def loan_applications(case):
    """The case's applications with what the panel shows of each: one query, however many there are."""
    return list(case.loan_applications.select_related("product__programme", "loan"))
