"""Reads of business plans. Object views fetch the case through a scoped selector first."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coaching import selectors as coaching_selectors
from coaching.models import CaseFile

from . import budget
from .models import BusinessPlan, PlanVersion, SectionComment
from .sections import SECTIONS


def case_has_approved_plan(case: CaseFile) -> bool:
    """The gate `business_plan_approved`: a version of the case's plan has been approved."""
    return BusinessPlan.objects.filter(case_id=case.pk, approved_version__isnull=False).exists()


def case_for_staff(user, case_pk: int) -> CaseFile:
    """Http404 for staff who may not see the case (and for everyone else)."""
    return coaching_selectors.case_for_page(user, case_pk)


def case_for_participant(user, case_pk: int) -> CaseFile:
    """Her own case, or Http404: a participant never learns whether someone else's case exists."""
    return get_object_or_404(
        CaseFile.objects.select_related("participant", "programme", "region", "adviser"),
        pk=case_pk,
        participant__user=user,
        participant__user__isnull=False,
    )


def plan_of(case: CaseFile) -> BusinessPlan | None:
    return (
        BusinessPlan.objects.select_related(
            "latest_version__created_by", "approved_version", "submitted_version", "submitted_by", "approved_by"
        )
        .filter(case=case)
        .first()
    )


def plan_for_panel(case: CaseFile) -> BusinessPlan | None:
    """The plan as the case page's panel shows it: its status, the latest version (with its budget) and the
    approved version's number. Two joins, not `plan_of`'s seven: planning that many joins took PostgreSQL
    longer than running the query (manage.py bench)."""
    # Only the columns the panel shows, and no ORDER BY: a case has at most one plan (cheaper to build, too).
    plans = (
        BusinessPlan.objects.select_related("latest_version", "approved_version")
        .only("case_id", "status", "latest_version__number", "latest_version__budget", "approved_version__number")
        .filter(case=case)[:1]
    )
    return next(iter(plans), None)


def versions(plan: BusinessPlan) -> QuerySet[PlanVersion]:
    """The version list without the (large) snapshots."""
    return plan.versions.select_related("created_by").defer("sections", "budget").order_by("-number")


def comments(plan: BusinessPlan) -> list[SectionComment]:
    return list(
        SectionComment.objects.filter(version__plan=plan)
        .select_related("author", "version")
        .defer("version__sections", "version__budget")
        .order_by("created_at", "id")
    )


def comments_by_section(plan: BusinessPlan) -> dict[str, list[SectionComment]]:
    grouped: dict[str, list[SectionComment]] = {}
    for comment in comments(plan):
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def version_of(plan: BusinessPlan, number: int) -> PlanVersion:
    return get_object_or_404(plan.versions, number=number)


@dataclass
class SectionDiff:
    key: str
    title: str
    changed: bool
    lines: list[tuple[str, str]]  # (" " | "-" | "+", text)


@dataclass
class FigureDiff:
    label: str
    old: object
    new: object

    @property
    def changed(self) -> bool:
        return self.old != self.new


def diff_versions(old: PlanVersion, new: PlanVersion, currency: str) -> tuple[list[SectionDiff], list[FigureDiff]]:
    """Line-by-line changes per section, and the budget's key figures side by side."""
    sections = []
    for section in SECTIONS:
        before = (old.sections.get(section.key) or "").splitlines()
        after = (new.sections.get(section.key) or "").splitlines()
        lines = [(line[0], line[2:]) for line in difflib.ndiff(before, after) if line[:1] in (" ", "-", "+")]
        sections.append(SectionDiff(section.key, str(section.title), before != after, lines))
    return sections, budget_figures_diff(old.budget, new.budget, currency)


def budget_figures_diff(old: dict, new: dict, currency: str) -> list[FigureDiff]:
    from django.utils.translation import gettext as _

    a, b = budget.compute_data(old, currency), budget.compute_data(new, currency)
    return [
        FigureDiff(_("Capital requirement"), a.capital.total, b.capital.total),
        FigureDiff(_("Financing"), a.capital.financing_total, b.capital.financing_total),
        FigureDiff(_("Loan asked for"), a.capital.loan, b.capital.loan),
        FigureDiff(_("Revenue, year 1"), a.income.revenue, b.income.revenue),
        FigureDiff(_("Result, year 1"), a.income.result, b.income.result),
        FigureDiff(_("Cash at the end of month 12"), a.liquidity[-1].closing, b.liquidity[-1].closing),
        FigureDiff(_("Months with negative cash"), len(a.negative_cash_months), len(b.negative_cash_months)),
    ]


def approved_plan_snapshot(case: CaseFile) -> dict | None:
    """The approved version as plain data for a loan application: section texts and key budget figures."""
    from django.utils.translation import gettext as _

    from .sections import section_title

    plan = (
        BusinessPlan.objects.filter(case=case, approved_version__isnull=False)
        .select_related("approved_version")
        .first()
    )
    if plan is None:
        return None
    version = plan.approved_version
    currency = case.programme.currency
    result = budget.compute_data(version.budget, currency)
    return {
        "version": version.number,
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else "",
        "sections": [
            {"key": key, "title": str(section_title(key)), "text": text}
            for key, text in version.sections.items()
            if text
        ],
        "budget": {
            str(_("Start-up capital needed")): f"{result.capital.total} {currency}",
            str(_("Own savings")): f"{result.capital.own_savings} {currency}",
            str(_("Loan asked")): f"{result.capital.loan} {currency}",
            str(_("Financing gap")): f"{result.capital.gap} {currency}",
            str(_("Revenue, first 12 months")): f"{result.income.revenue} {currency}",
            str(_("Result, first 12 months")): f"{result.income.result} {currency}",
            str(_("Lowest cash balance")): f"{result.lowest_cash} {currency}",
            str(_("Months with negative cash")): ", ".join(str(m) for m in result.negative_cash_months) or "—",
        },
    }


def plan_history(case):
    """The plan's status changes (submitted, returned, approved) for the case page's "who changed what"."""
    from .models import BusinessPlan

    return BusinessPlan.history.filter(case_id=case.pk).select_related("history_user")[:50]
