"""Lending's part of the daily run, and the gate a case passes from `loan` to `follow_up`."""

from __future__ import annotations

from datetime import date

from .models import Loan, LoanStatus


def case_loan_disbursed_or_settled(case) -> bool:
    return Loan.objects.filter(
        case=case, status__in=[LoanStatus.ACTIVE, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF]
    ).exists()


def daily(as_of: date, stdout=None) -> dict:
    """Penalties and arrears next actions for every active loan; safe to run twice for the same day."""
    from . import services

    penalties = actions = 0
    for loan in Loan.objects.filter(status=LoanStatus.ACTIVE).select_related(
        "product", "case__programme", "case__adviser"
    ):
        penalties += services.charge_penalties(loan, as_of=as_of)
        actions += int(services.arrears_follow_up(loan, as_of=as_of))
    return {"penalties charged": penalties, "arrears next actions": actions}
