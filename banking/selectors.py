"""Reads for bank transfers, scoped to the programmes the user manages (others get 403 or 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from loans.models import Loan, LoanStatus
from neem import access
from neem.models import Programme

from .models import BankStatement, LineStatus, PaymentFile, StatementLine


def managed_programmes(user) -> QuerySet[Programme]:
    """The programmes whose money the user handles; none: 403."""
    ids = access.scope_of(user).manager_programmes
    if not ids:
        raise PermissionDenied
    return Programme.objects.filter(pk__in=ids).order_by("name")


def statements_for(user) -> QuerySet[BankStatement]:
    managed_programmes(user)
    return (
        BankStatement.objects.filter(programme__in=access.scope_of(user).manager_programmes)
        .select_related("programme", "imported_by")
        .annotate(
            line_count=Count("lines"),
            waiting_count=Count("lines", filter=Q(lines__status=LineStatus.WAITING)),
        )
    )


def statement_for(user, pk: int) -> BankStatement:
    return get_object_or_404(statements_for(user), pk=pk)


def statement_lines(statement: BankStatement) -> QuerySet[StatementLine]:
    return statement.lines.select_related(
        "loan__case__participant", "suggested_loan__case__participant", "entry", "payout"
    ).order_by("index")


def queue_for(user) -> QuerySet[StatementLine]:
    managed_programmes(user)
    return (
        StatementLine.objects.filter(programme__in=access.scope_of(user).manager_programmes, status=LineStatus.WAITING)
        .select_related("statement", "suggested_loan__case__participant", "programme")
        .order_by("booking_date", "id")
    )


def decided_for(user) -> QuerySet[StatementLine]:
    return (
        StatementLine.objects.filter(
            programme__in=access.scope_of(user).manager_programmes,
            status__in=[LineStatus.ASSIGNED, LineStatus.REJECTED],
        )
        .select_related("loan__case__participant")
        .prefetch_related("decisions__by")
        .order_by("-id")
    )


def line_for(user, pk: int) -> StatementLine:
    managed_programmes(user)
    return get_object_or_404(
        StatementLine.objects.filter(programme__in=access.scope_of(user).manager_programmes), pk=pk
    )


def loans_to_assign(user) -> QuerySet[Loan]:
    """What a waiting payment can be assigned to: active or written-off loans of the managed programmes."""
    return (
        Loan.objects.filter(
            case__programme__in=access.scope_of(user).manager_programmes,
            status__in=[LoanStatus.ACTIVE, LoanStatus.WRITTEN_OFF],
        )
        .select_related("case__participant")
        .order_by("case__participant__last_name", "case__participant__first_name", "pk")
    )


def awaiting_payout(user) -> QuerySet[Loan]:
    managed_programmes(user)
    return (
        Loan.objects.filter(case__programme__in=access.scope_of(user).manager_programmes, status=LoanStatus.ACCEPTED)
        .select_related("case__participant", "case__programme", "payout_account")
        .prefetch_related("payout_orders__payment_file")
        .order_by("accepted_at", "pk")
    )


def loan_awaiting_payout(user, pk: int) -> Loan:
    managed_programmes(user)
    return get_object_or_404(
        Loan.objects.filter(case__programme__in=access.scope_of(user).manager_programmes).select_related("case"),
        pk=pk,
    )


def payment_files_for(user) -> QuerySet[PaymentFile]:
    managed_programmes(user)
    return (
        PaymentFile.objects.filter(programme__in=access.scope_of(user).manager_programmes)
        .select_related("programme", "created_by")
        .annotate(confirmed=Count("orders", filter=Q(orders__confirmed_on__isnull=False)))
    )


def payment_file_for(user, pk: int) -> PaymentFile:
    return get_object_or_404(payment_files_for(user), pk=pk)
