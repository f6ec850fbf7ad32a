"""Demo indicators: the programme's targets (seed 004) plus the other built-in kinds. Safe to run again."""

from __future__ import annotations

from decimal import Decimal

from coaching.models import CaseFile, Outcome, Stage
from neem.models import ProgrammeTarget

from .models import CaseOutcomeDetail, Indicator, Unit

# ProgrammeTarget.code -> indicator kind
TARGET_KINDS = {
    "mobilised": "mobilised",
    "women": "women",
    "foreign_background": "foreign_background",
    "social_enterprises": "social_enterprises",
    "companies_started": "companies_started",
    "next_step": "next_step",
}

# code, kind, label, unit, baseline, target min, target max, lower is better — DOMAIN.md and common practice.
EXTRA = [
    (
        "permanent_residence",
        "permanent_residence",
        "Share with a permanent residence permit or citizenship",
        Unit.PERCENT,
        None,
        100,
        None,
        False,
    ),
    ("completed_coaching", "completed_coaching", "Share that completed coaching", Unit.PERCENT, None, 70, None, False),
    ("coaching_hours", "coaching_hours", "Average coaching hours per participant", Unit.COUNT, None, 40, None, False),
    ("health_check", "health_check", "Health-check improvement (points, 1–5 scale)", Unit.COUNT, None, 1, None, False),
    (
        "income_change",
        "income_change",
        "Change in household income against the intake baseline",
        Unit.PERCENT,
        0,
        15,
        None,
        False,
    ),
    (
        "still_running_12m",
        "still_running_12m",
        "Businesses still running after 12 months",
        Unit.PERCENT,
        None,
        70,
        None,
        False,
    ),
    ("loans_disbursed", "loans_disbursed", "Loans paid out", Unit.COUNT, 0, 60, None, False),
    ("amount_disbursed", "amount_disbursed", "Amount lent (SEK)", Unit.COUNT, 0, 3000000, None, False),
    ("repayment_rate", "repayment_rate", "Repayment rate", Unit.PERCENT, None, 95, None, False),
    ("par30", "par30", "Portfolio at risk over 30 days (PAR30)", Unit.PERCENT, None, 5, None, True),
]


def seed(*, programme) -> int:
    """Create the demo indicators that do not exist yet (looked up by code); returns how many were created."""
    created = 0
    order = 0
    for target in ProgrammeTarget.objects.filter(programme=programme).order_by("id"):
        kind = TARGET_KINDS.get(target.code)
        if kind is None:
            continue
        order += 10
        _indicator, made = Indicator.objects.get_or_create(
            programme=programme,
            code=target.code,
            defaults={
                "kind": kind,
                "label": target.label,
                "unit": Unit.PERCENT if target.unit == ProgrammeTarget.Unit.PERCENT else Unit.COUNT,
                "baseline": Decimal(0),
                "target_min": target.minimum,
                "target_max": target.maximum,
                "order": order,
            },
        )
        created += made
    for code, kind, label, unit, baseline, low, high, lower in EXTRA:
        order += 10
        _indicator, made = Indicator.objects.get_or_create(
            programme=programme,
            code=code,
            defaults={
                "kind": kind,
                "label": label,
                "unit": unit,
                "baseline": None if baseline is None else Decimal(baseline),
                "target_min": Decimal(low),
                "target_max": None if high is None else Decimal(high),
                "lower_is_better": lower,
                "order": order,
            },
        )
        created += made
    # The demo's first company started is a social enterprise (seed 004 targets one per region).
    first_company = (
        CaseFile.objects.filter(programme=programme, state=Stage.CLOSED, outcome=Outcome.COMPANY_STARTED)
        .order_by("pk")
        .first()
    )
    if first_company and not CaseOutcomeDetail.objects.filter(case__programme=programme).exists():
        CaseOutcomeDetail.objects.create(case=first_company, social_enterprise=True)
    return created
