"""The case page's tabs: the overview first, each stage's work on a tab of its own.

The overview (who she is, the next step, next actions, notes, the latest timeline) is what an adviser opens a
case for most often; the coaching modules, the business plan, the loan and follow-up, and the messages and
documents she shares each load only when their tab is opened, so a visit to a case with a long history
does not pay for every panel at once (manage.py bench). A tab is a plain link (`?tab=<name>`): it works
without JavaScript, can be bookmarked, and a form posted on a tab comes back to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    stages: tuple[str, ...] = ()  # the stages whose work is on this tab (marked "current stage" in the tab bar)


OVERVIEW = "overview"
TABS = (
    Tab(OVERVIEW, _("Overview"), ("mobilised", "intake")),
    Tab("coaching", _("Coaching"), ("coaching",)),
    Tab("plan", _("Business plan"), ("business_plan",)),
    Tab("loan", _("Loan and follow-up"), ("loan", "follow_up")),
    Tab("pages", _("Messages and documents")),
)
NAMES = frozenset(tab.name for tab in TABS)


def of_stage(state: str) -> Tab | None:
    """The tab with the work of a stage, if it has one besides the overview."""
    return next((tab for tab in TABS if state in tab.stages and tab.name != OVERVIEW), None)


def case_url(case_pk: int, tab: str = OVERVIEW, anchor: str = "") -> str:
    """The case page, opened on `tab` (the overview by default), with an optional `#anchor`."""
    if tab not in NAMES:
        raise ValueError(f"unknown case tab {tab!r}")
    url = reverse("coaching:case_detail", args=[case_pk])
    return (url if tab == OVERVIEW else f"{url}?tab={tab}") + anchor
