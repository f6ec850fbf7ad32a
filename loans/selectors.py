"""Reads for lending, scoped to the user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coaching.selectors import cases_visible_to
from neem import access

from .models import ApplicationStatus, LedgerEntry, Loan, LoanApplication, LoanProduct


def products_visible_to(user) -> QuerySet[LoanProduct]:
    return LoanProduct.objects.filter(programme__in=access.scope_of(user).programmes).select_related("programme")


def applications_visible_to(user) -> QuerySet[LoanApplication]:
    """Staff who can see the case, and committee members for what is (or was) before the committee."""
    scope = access.scope_of(user)
    before_committee = Q(case__programme__in=scope.committee_programmes) & ~Q(
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]
    )
    return LoanApplication.objects.filter(Q(case__in=cases_visible_to(user)) | before_committee).select_related(
        "case__participant", "case__region", "case__programme", "product", "created_by"
    )


def committee_queue(user) -> QuerySet[LoanApplication]:
    scope = access.scope_of(user)
    return (
        LoanApplication.objects.filter(
            case__programme__in=scope.committee_programmes, status=ApplicationStatus.SUBMITTED
        )
        .select_related("case__participant", "case__region", "product", "created_by")
        .order_by("submitted_at")
    )


def loans_visible_to(user) -> QuerySet[Loan]:
    return Loan.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case__participant", "case__region", "case__programme", "product"
    )


def loan_for_staff(user, pk: int) -> Loan:
    return get_object_or_404(loans_visible_to(user), pk=pk)


def loan_for_borrower(user, pk: int) -> Loan:
    participant = getattr(user, "participant", None)
    if participant is None:
        raise Http404
    return get_object_or_404(
        Loan.objects.select_related("product", "case__programme", "case__participant"),
        pk=pk,
        case__participant=participant,
    )


def receipts(loan: Loan) -> QuerySet[LedgerEntry]:
    return loan.entries.filter(kind="repayment").order_by("-value_date", "-id")


def application_history(case):
    """Applications' decisions, for the case page's "who changed what"."""
    from .models import LoanApplication

    return LoanApplication.history.filter(case_id=case.pk).select_related("history_user")[:50]


def loan_history(case):
    """Loans' status changes (accepted, paid out, repaid, written off), for the case page's "who changed what"."""
    from .models import Loan

    return Loan.history.filter(case_id=case.pk).select_related("history_user")[:50]
