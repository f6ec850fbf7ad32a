"""Writes for savings groups, credit statements and follow-up visits: checked, atomic, logged."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile
from neem import access
from neem.pdf import render_pdf

from . import selectors
from .models import (
    ZERO,
    CompanyStatus,
    CreditStatement,
    FollowUpVisit,
    SavingsEntry,
    SavingsGroup,
    SavingsMeeting,
    SavingsMember,
)


def _money(value) -> Decimal:
    value = Decimal(value)
    if value != value.quantize(Decimal("0.01")):
        raise Refused(_("Use at most two decimals."))
    return value


def _event(case, *, by, note: str, data: dict | None = None) -> None:
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=by, note=note, data=data or {})


# --- Savings groups ------------------------------------------------------------------------------------


def _lock_group(group_id: int, by) -> SavingsGroup:
    group = SavingsGroup.objects.select_for_update().get(pk=group_id)
    if not selectors.can_keep_savings(by, group):
        raise NotAllowed(_("Only the advisers and the region lead of the group's region keep its savings."))
    return group


def savings_group_create(*, by, region, name: str, cohort: str = "") -> SavingsGroup:
    if region.pk not in access.scope_of(by).case_reader_regions:
        raise NotAllowed(_("Only the advisers and the region lead of the region start a savings group there."))
    name = name.strip()
    if SavingsGroup.objects.filter(region=region, name__iexact=name).exists():
        raise Refused(_("The region already has a savings group of that name."))
    return SavingsGroup.objects.create(programme=region.programme, region=region, name=name, cohort=cohort.strip())


def savings_member_add(*, by, group_id: int, case: CaseFile, loan_need: Decimal) -> SavingsMember:
    with transaction.atomic():
        group = _lock_group(group_id, by)
        if case.region_id != group.region_id:
            raise Refused(_("Members come from the group's region."))
        if loan_need < ZERO:
            raise Refused(_("The loan needed cannot be negative."))
        member, created = SavingsMember.objects.get_or_create(
            group=group, case=case, defaults={"loan_need": _money(loan_need)}
        )
        if not created:
            raise Refused(_("She is already a member of this group."))
        _event(case, by=by, note=_("Joined the savings group %(group)s.") % {"group": group.name})
    return member


def _entry(*, by, group_id: int, case_id: int, kind: str, amount: Decimal, on: date, reference, note: str):
    amount = _money(amount)
    if amount <= ZERO:
        raise Refused(_("The amount must be more than zero."))
    if on > timezone.localdate():
        raise Refused(_("Money cannot be recorded on a future date."))
    reference = (reference or "").strip() or None
    if reference:
        existing = SavingsEntry.objects.filter(reference=reference).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            group = _lock_group(group_id, by)
            if not group.members.filter(case_id=case_id).exists():
                raise Refused(_("She is not a member of this group."))
            if kind == SavingsEntry.Kind.WITHDRAWAL:
                balance = selectors.member_balance(group.pk, case_id)
                if amount > balance:
                    raise Refused(
                        _("A withdrawal cannot take her savings below zero: she has %(balance)s.")
                        % {"balance": balance}
                    )
                amount = -amount
            return SavingsEntry.objects.create(
                group=group,
                case_id=case_id,
                kind=kind,
                amount=amount,
                date=on,
                reference=reference,
                note=note[:500],
                created_by=by,
            )
    except IntegrityError:
        existing = SavingsEntry.objects.filter(reference=reference).first() if reference else None
        if existing:
            return existing
        raise


def savings_contribute(*, by, group_id: int, case_id: int, amount: Decimal, on: date, reference=None, note=""):
    return _entry(
        by=by,
        group_id=group_id,
        case_id=case_id,
        kind=SavingsEntry.Kind.CONTRIBUTION,
        amount=amount,
        on=on,
        reference=reference,
        note=note,
    )


def savings_withdraw(*, by, group_id: int, case_id: int, amount: Decimal, on: date, reference=None, note=""):
    return _entry(
        by=by,
        group_id=group_id,
        case_id=case_id,
        kind=SavingsEntry.Kind.WITHDRAWAL,
        amount=amount,
        on=on,
        reference=reference,
        note=note,
    )


def savings_reverse(*, by, entry_id: int, reason: str) -> SavingsEntry:
    """Undo a mistaken entry with its negation; refused if that would take the member below zero."""
    reason = (reason or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if not reason:
        raise Refused(_("Give the reason for the reversal."))
    with transaction.atomic():
        original = SavingsEntry.objects.get(pk=entry_id)
        group = _lock_group(original.group_id, by)
        if original.kind == SavingsEntry.Kind.REVERSAL:
            raise Refused(_("A reversal cannot be reversed; record a new entry instead."))
        if SavingsEntry.objects.filter(reverses=original).exists():
            return original.reversed_by
        if selectors.member_balance(group.pk, original.case_id) - original.amount < ZERO:
            raise Refused(_("Reversing this contribution would take her savings below zero."))
        return SavingsEntry.objects.create(
            group=group,
            case_id=original.case_id,
            kind=SavingsEntry.Kind.REVERSAL,
            amount=-original.amount,
            date=timezone.localdate(),
            reverses=original,
            note=reason[:500],
            created_by=by,
        )


def meeting_record(*, by, group_id: int, on: date, note: str = "", attended=()) -> SavingsMeeting:
    if on > timezone.localdate():
        raise Refused(_("A meeting cannot be recorded before it happens."))
    with transaction.atomic():
        group = _lock_group(group_id, by)
        meeting = SavingsMeeting.objects.create(group=group, date=on, note=note.strip(), recorded_by=by)
        present = list(group.members.filter(pk__in=[m.pk if hasattr(m, "pk") else m for m in attended]))
        meeting.attended.set(present)
    return meeting


# --- Credit statements ---------------------------------------------------------------------------------


def _may_issue_statement(user, participant) -> bool:
    if participant.user_id and participant.user_id == user.pk:
        return True
    return any(
        access.can_work_on_case(user, case) or access.can_assign_case(user, case) for case in participant.cases.all()
    )


def statement_issue(*, by, participant, verify_url: str) -> tuple[CreditStatement, bytes]:
    """A new statement of her loans and repayments: the PDF, its hash and an unguessable code.

    `verify_url` is the public verification page's absolute address; the code is appended.
    """
    if not _may_issue_statement(by, participant):
        raise NotAllowed(_("Only the participant, her adviser or the region lead can issue her credit statement."))
    language = participant.preferred_language
    now = timezone.now()
    code = secrets.token_urlsafe(24)
    context = {
        "participant": participant,
        "loans": selectors.statement_loans(participant, as_of=timezone.localdate()),
        "issued_at": now,
        "code": code,
        "verify_url": f"{verify_url.rstrip('/')}/{code}/",
        "verify_page": verify_url,
    }
    pdf = render_pdf("portfolio/statement_pdf.html", context, language=language)
    with transaction.atomic():
        statement = CreditStatement.objects.create(
            participant=participant,
            issued_at=now,
            issued_by=by,
            language=language,
            code=code,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        for case in participant.cases.all():
            _event(
                case,
                by=by,
                note=_("Credit statement issued."),
                data={"credit_statement": statement.pk, "sha256": statement.sha256},
            )
    return statement, pdf


def statement_revoke(*, by, statement_id: int) -> CreditStatement:
    with transaction.atomic():
        statement = (
            CreditStatement.objects.select_for_update(of=("self",)).select_related("participant").get(pk=statement_id)
        )
        participant = statement.participant
        staff = any(
            access.can_work_on_case(by, case) or access.can_assign_case(by, case) for case in participant.cases.all()
        )
        if not staff:
            raise NotAllowed(_("Only her adviser or the region lead can revoke a credit statement."))
        if statement.revoked_at:
            return statement
        statement.revoked_at = timezone.now()
        statement.revoked_by = by
        statement.save(update_fields=["revoked_at", "revoked_by"])
        for case in participant.cases.all():
            _event(case, by=by, note=_("Credit statement revoked."), data={"credit_statement": statement.pk})
    return statement


# --- Follow-up visits ----------------------------------------------------------------------------------


def follow_up_record(
    *,
    by,
    case_id: int,
    on: date,
    company_status: str,
    turnover: Decimal | None = None,
    profit: Decimal | None = None,
    employees: int | None = None,
    household_income: Decimal | None = None,
    note: str = "",
) -> FollowUpVisit:
    with transaction.atomic():
        case = CaseFile.objects.select_for_update().get(pk=case_id)
        if not access.can_work_on_case(by, case):
            raise NotAllowed(_("Only the assigned adviser or the region lead records follow-up visits."))
        if company_status not in CompanyStatus.values:
            raise Refused(_("Choose whether the company is running, paused or closed."))
        if on > timezone.localdate():
            raise Refused(_("A visit cannot be in the future."))
        visit = FollowUpVisit.objects.create(
            case=case,
            date=on,
            turnover=turnover,
            profit=profit,
            employees=employees,
            household_income=household_income,
            company_status=company_status,
            note=note.strip(),
            by=by,
        )
        _event(
            case,
            by=by,
            note=_("Follow-up visit on %(date)s: the company is %(status)s.")
            % {"date": on.isoformat(), "status": visit.get_company_status_display()},
            data={"follow_up_visit": visit.pk},
        )
    return visit
