"""`{% case_url case.pk "loan" "#follow-up" %}`: the case page on one of its tabs (coaching/tabs.py)."""

from __future__ import annotations

from django import template

from coaching import tabs

register = template.Library()


@register.simple_tag
def case_url(case_pk: int, tab: str = tabs.OVERVIEW, anchor: str = "") -> str:
    return tabs.case_url(case_pk, tab, anchor)
