"""Every write in lending: checked, atomic, logged. Money moves only here, under a row lock on the loan."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, NextAction
from neem import access

from . import eligibility
from .engine import ScheduleError, build_schedule
from .models import (
    ZERO,
    Allocation,
    ApplicationStatus,
    EntryKind,
    Instalment,
    LedgerEntry,
    LendingPolicy,
    Loan,
    LoanApplication,
    LoanProduct,
    LoanStatus,
    Reschedule,
    Vote,
)
from .position import COMPONENTS, InstalmentState, Position, allocate

ARREARS_ACTION_KEY = "loan-arrears-{loan}"


def _event(case, *, by, note: str, data: dict | None = None):
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.LOAN, actor=by, note=note, data=data or {})


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --- Reading a loan's position -------------------------------------------------------------------------


def loan_position(loan: Loan, as_of: date | None = None, *, credit: Decimal | None = None) -> Position:
    """The active schedule with what each instalment owes and has been paid: one query, two without `credit`
    (the ledger's credit total, which a caller that has already summed the ledger passes)."""
    as_of = as_of or timezone.localdate()
    zero = Decimal("0")
    penalties = (
        LedgerEntry.objects.filter(instalment=OuterRef("pk"), kind=EntryKind.PENALTY)
        .order_by()  # not by the loan (the entries' default ordering): no join to it
        .values("instalment")
        .annotate(total=Sum("penalty"))
        .values("total")
    )
    rows = (
        loan.instalments.filter(active=True)
        .annotate(
            paid_principal=Coalesce(Sum("allocations__principal"), zero),
            paid_interest=Coalesce(Sum("allocations__interest"), zero),
            paid_fee=Coalesce(Sum("allocations__fee"), zero),
            paid_penalty=Coalesce(Sum("allocations__penalty"), zero),
            penalties=Subquery(penalties, output_field=DecimalField(max_digits=14, decimal_places=2)),
        )
        .order_by("due_date", "number")
    )
    if credit is None:
        credit = LedgerEntry.objects.filter(loan=loan).aggregate(total=Coalesce(Sum("credit"), zero))["total"]
    states = [
        InstalmentState(
            id=row.pk,
            number=row.number,
            due_date=row.due_date,
            due={
                "principal": row.principal,
                "interest": row.interest,
                "fee": row.fee,
                "penalty": row.penalty + _money(row.penalties or zero),
            },
            paid={
                "principal": _money(row.paid_principal),
                "interest": _money(row.paid_interest),
                "fee": _money(row.paid_fee),
                "penalty": _money(row.paid_penalty),
            },
        )
        for row in rows
    ]
    return Position(instalments=states, credit=_money(credit), as_of=as_of)


def ledger_balance(loan: Loan) -> dict[str, Decimal]:
    """The sum of the ledger, per component and owed in all."""
    zero = Decimal("0")
    return _balance(
        LedgerEntry.objects.filter(loan=loan).aggregate(**{c: Coalesce(Sum(c), zero) for c in (*COMPONENTS, "credit")})
    )


def with_ledger_sums(loans):
    """The loans with their ledgers summed in the same query, for `ledger_balance_of` (a page that lists loans
    need not ask for each balance)."""
    zero = Decimal("0")
    return loans.annotate(**{f"ledger_{c}": Coalesce(Sum(f"entries__{c}"), zero) for c in (*COMPONENTS, "credit")})


def ledger_balance_of(loan: Loan) -> dict[str, Decimal]:
    """`ledger_balance` of a loan read through `with_ledger_sums`: no query."""
    return _balance({c: getattr(loan, f"ledger_{c}") for c in (*COMPONENTS, "credit")})


def _balance(sums: dict) -> dict[str, Decimal]:
    # SQLite sums decimals as floats: quantize back to cents (PostgreSQL's numeric is exact anyway).
    sums = {name: _money(value) for name, value in sums.items()}
    sums["owed"] = sums["principal"] + sums["interest"] + sums["fee"] + sums["penalty"] - sums["credit"]
    return sums


def _lock(loan_id: int) -> Loan:
    return Loan.objects.select_for_update(of=("self",)).select_related("product", "case").get(pk=loan_id)


def _can_handle_money(user, loan: Loan) -> bool:
    """Record repayments: the case's adviser, the region lead or the programme manager."""
    return access.can_work_on_case(user, loan.case) or access.can_assign_case(user, loan.case)


# --- Applications and the committee --------------------------------------------------------------------


def application_create(
    *, by, case, product: LoanProduct, amount: Decimal, term: int, purpose: str, assessment: str
) -> LoanApplication:
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can apply for a loan on this case."))
    failed = eligibility.failed_gates(case)
    if failed:
        raise Refused(_("The application cannot be made yet: %(why)s") % {"why": " ".join(failed)})
    if product.programme_id != case.programme_id or not product.active:
        raise Refused(_("This loan product is not offered by the case's programme."))
    if not product.min_amount <= amount <= product.max_amount:
        raise Refused(
            _("The amount must be between %(min)s and %(max)s %(currency)s.")
            % {"min": product.min_amount, "max": product.max_amount, "currency": product.currency}
        )
    if not product.min_term <= term <= product.max_term:
        raise Refused(
            _("The term must be between %(min)s and %(max)s instalments.")
            % {"min": product.min_term, "max": product.max_term}
        )
    if LoanApplication.objects.filter(
        case=case, status__in=[ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED]
    ).exists():
        raise Refused(_("This case already has an open application."))
    with transaction.atomic():
        application = LoanApplication.objects.create(
            case=case,
            product=product,
            amount=_money(amount),
            term=term,
            purpose=purpose.strip(),
            assessment=assessment.strip(),
            plan_snapshot=_plan_snapshot(case),
            created_by=by,
        )
        _event(
            case,
            by=by,
            note=_("Loan application drafted: %(amount)s %(currency)s over %(term)s instalments.")
            % {"amount": application.amount, "currency": product.currency, "term": term},
            data={"application": application.pk},
        )
    return application


def _plan_snapshot(case) -> dict:
    """The approved business plan the application relies on (filled in by the plans app when present)."""
    try:
        from plans.selectors import approved_plan_snapshot
    except ImportError:
        return {}
    return approved_plan_snapshot(case) or {}


def application_submit(*, by, application_id: int) -> LoanApplication:
    with transaction.atomic():
        application = (
            LoanApplication.objects.select_for_update(of=("self",)).select_related("case").get(pk=application_id)
        )
        if not access.can_work_on_case(by, application.case):
            raise NotAllowed(_("Only the assigned adviser or the region lead can submit this application."))
        if application.status != ApplicationStatus.DRAFT:
            raise Refused(_("Only a draft can be submitted."))
        failed = eligibility.failed_gates(application.case)
        if failed:
            raise Refused(_("The application cannot go to the committee yet: %(why)s") % {"why": " ".join(failed)})
        application.submit()
        application.save()
        _event(
            application.case,
            by=by,
            note=_("Loan application sent to the committee."),
            data={"application": application.pk},
        )
    return application


def applications_for_committee(user):
    scope = access.scope_of(user)
    return LoanApplication.objects.filter(
        case__programme__in=scope.committee_programmes,
        status__in=[
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.APPROVED_WITH_CHANGES,
            ApplicationStatus.REJECTED,
        ],
    )


def _committee_member(user, application) -> bool:
    return application.case.programme_id in access.scope_of(user).committee_programmes


def vote_cast(*, by, application_id: int, choice: str = "", comment: str = "", conflict: bool = False) -> Vote:
    """Record a member's vote, or her declared conflict of interest (after which she cannot vote)."""
    with transaction.atomic():
        application = (
            LoanApplication.objects.select_for_update(of=("self",)).select_related("case").get(pk=application_id)
        )
        if not _committee_member(by, application):
            raise NotAllowed(_("Only committee members vote."))
        if application.status != ApplicationStatus.SUBMITTED:
            raise Refused(_("This application has been decided; votes are closed."))
        existing = Vote.objects.filter(application=application, member=by).first()
        if existing and existing.conflict_of_interest:
            raise Refused(_("You declared a conflict of interest and cannot vote on this application."))
        if conflict:
            vote, _created = Vote.objects.update_or_create(
                application=application,
                member=by,
                defaults={"conflict_of_interest": True, "choice": "", "comment": comment},
            )
            return vote
        if choice not in Vote.Choice.values:
            raise Refused(_("Choose approve, approve with changes or reject."))
        vote, _created = Vote.objects.update_or_create(
            application=application, member=by, defaults={"choice": choice, "comment": comment}
        )
    return vote


def quorum_state(application) -> tuple[int, int]:
    """(votes without a conflict, the quorum)."""
    counted = application.votes.filter(conflict_of_interest=False).exclude(choice="").count()
    return counted, LendingPolicy.for_programme(application.case.programme).quorum


def application_decide(
    *,
    by,
    application_id: int,
    decision: str,
    reasons: str,
    amount: Decimal | None = None,
    term: int | None = None,
) -> LoanApplication:
    """The committee's final decision; refused before the quorum of non-conflicted votes."""
    reasons = (reasons or "").strip()
    with transaction.atomic():
        application = (
            LoanApplication.objects.select_for_update(of=("self",))
            .select_related("case__programme", "product")
            .get(pk=application_id)
        )
        if not _committee_member(by, application):
            raise NotAllowed(_("Only committee members decide."))
        if Vote.objects.filter(application=application, member=by, conflict_of_interest=True).exists():
            raise NotAllowed(_("You declared a conflict of interest on this application."))
        if application.status != ApplicationStatus.SUBMITTED:
            raise Refused(_("This application has already been decided. The decision is final."))
        counted, quorum = quorum_state(application)
        if counted < quorum:
            raise Refused(
                _("The committee needs %(quorum)s votes without a conflict of interest; it has %(counted)s.")
                % {"quorum": quorum, "counted": counted}
            )
        if not reasons:
            raise Refused(_("Give the reasons for the decision."))
        product = application.product
        if decision == ApplicationStatus.APPROVED:
            application.approve()
            application.approved_amount, application.approved_term = application.amount, application.term
        elif decision == ApplicationStatus.APPROVED_WITH_CHANGES:
            if amount is None or term is None:
                raise Refused(_("Give the approved amount and number of instalments."))
            if (
                not product.min_amount <= amount <= product.max_amount
                or not product.min_term <= term <= product.max_term
            ):
                raise Refused(_("The changed amount or term is outside what the loan product allows."))
            if amount == application.amount and term == application.term:
                raise Refused(_("Nothing was changed: choose “approved” instead."))
            application.approve_with_changes()
            application.approved_amount, application.approved_term = _money(amount), term
        elif decision == ApplicationStatus.REJECTED:
            application.reject()
        else:
            raise Refused(_("Choose a decision."))
        application.decided_by = by
        application.decision_reasons = reasons
        application.save()
        loan = None
        if application.status != ApplicationStatus.REJECTED:
            loan = Loan.objects.create(
                application=application,
                case=application.case,
                product=product,
                currency=product.currency,
                principal=application.approved_amount,
                term=application.approved_term,
            )
        _event(
            application.case,
            by=by,
            note=_("Committee decision: %(decision)s. %(reasons)s")
            % {"decision": application.get_status_display(), "reasons": reasons},
            data={"application": application.pk, "loan": loan.pk if loan else None},
        )
    return application


# --- Agreement and disbursement ------------------------------------------------------------------------


def preview_schedule(loan: Loan, start_date: date | None = None):
    terms = loan.product.terms(
        principal=loan.principal, installments=loan.term, start_date=start_date or timezone.localdate()
    )
    return build_schedule(terms)


def agreement_accept(*, by, loan_id: int, password: str, pdf_bytes: bytes) -> Loan:
    """The participant accepts her agreement after re-entering her password; its PDF and hash are kept."""
    with transaction.atomic():
        loan = _lock(loan_id)
        participant = loan.case.participant
        if participant.user_id != by.pk:
            raise NotAllowed(_("Only the borrower can accept her agreement."))
        if not by.check_password(password or ""):
            raise Refused(_("The password is not right. The agreement was not accepted."))
        if loan.status != LoanStatus.AWAITING_ACCEPTANCE:
            raise Refused(_("This agreement has already been accepted."))
        loan.accept()
        loan.agreement_pdf = pdf_bytes
        loan.agreement_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        loan.save()
        _event(
            loan.case,
            by=by,
            note=_("The participant accepted the loan agreement."),
            data={"loan": loan.pk, "sha256": loan.agreement_sha256},
        )
    return loan


def _can_disburse(user, loan) -> bool:
    return access.can_assign_case(user, loan.case)  # the region lead or the programme manager: four eyes


def loan_disburse(*, by, loan_id: int, on: date, method: str, reference: str) -> Loan:
    """Pay out: fix the schedule from the disbursement date and write the opening entries. Runs once."""
    with transaction.atomic():
        loan = _lock(loan_id)
        if not _can_disburse(by, loan):
            raise NotAllowed(_("Only the region lead or the programme manager can pay out a loan."))
        if loan.status == LoanStatus.AWAITING_ACCEPTANCE:
            raise Refused(_("The participant has not accepted the agreement yet. Nothing was paid out."))
        if loan.status != LoanStatus.ACCEPTED:
            raise Refused(_("This loan has already been paid out."))
        try:
            schedule = preview_schedule(loan, start_date=on)
        except ScheduleError as exc:
            raise Refused(str(exc)) from exc
        loan.disburse()
        loan.disbursed_on = on
        loan.disbursement_method = method
        loan.disbursement_reference = reference
        loan.disbursed_by = by
        loan.schedule_version = 1
        loan.apr = schedule.apr
        loan.save()
        rows = [
            Instalment(
                loan=loan,
                version=1,
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                fee=i.fees + (schedule.disbursement_fees if i.number == 1 else ZERO),
            )
            for i in schedule.installments
        ]
        Instalment.objects.bulk_create(rows)
        common = {"loan": loan, "value_date": on, "created_by": by}
        LedgerEntry.objects.create(
            kind=EntryKind.DISBURSEMENT,
            amount=loan.principal,
            principal=loan.principal,
            method=method,
            note=reference,
            **common,
        )
        if schedule.total_interest:
            LedgerEntry.objects.create(kind=EntryKind.INTEREST, amount=ZERO, interest=schedule.total_interest, **common)
        fees = schedule.total_fees
        if fees:
            LedgerEntry.objects.create(kind=EntryKind.FEE, amount=ZERO, fee=fees, **common)
        _event(
            loan.case,
            by=by,
            note=_("Loan paid out: %(amount)s %(currency)s on %(date)s.")
            % {"amount": loan.principal, "currency": loan.currency, "date": on},
            data={"loan": loan.pk},
        )
    return loan


# --- Repayments ----------------------------------------------------------------------------------------


def repayment_record(
    *,
    by,
    loan_id: int,
    amount: Decimal,
    on: date,
    method: str = "",
    external_reference: str | None = None,
    note: str = "",
    check_access: bool = True,
) -> LedgerEntry:
    """Apply a repayment oldest instalment first; a reference already recorded is applied once."""
    amount = Decimal(amount)
    if amount <= ZERO or amount != amount.quantize(Decimal("0.01")):
        raise Refused(_("The amount must be a positive amount with at most two decimals."))
    external_reference = (external_reference or "").strip() or None
    try:
        with transaction.atomic():
            loan = _lock(loan_id)
            # Access first: whether a reference exists is nobody's business but those who handle this loan's money.
            if check_access and not _can_handle_money(by, loan):
                raise NotAllowed(_("You cannot record repayments on this loan."))
            if external_reference:
                existing = LedgerEntry.objects.filter(external_reference=external_reference).first()
                if existing:
                    return _same_loan(existing, loan_id)
            if loan.status != LoanStatus.ACTIVE:
                raise Refused(_("Repayments can only be recorded on a loan that has been paid out and is not closed."))
            entry = _apply_payment(
                loan, amount=amount, on=on, by=by, method=method, reference=external_reference, note=note
            )
    except IntegrityError:
        # The same reference arrived twice at once: the other request recorded it.
        existing = LedgerEntry.objects.filter(external_reference=external_reference).first()
        if existing:
            return _same_loan(existing, loan_id)
        raise
    return entry


class ReferenceUsed(Refused):
    """The payment reference belongs to a payment on another loan."""


def _same_loan(existing: LedgerEntry, loan_id: int) -> LedgerEntry:
    """A reference already recorded is the same payment again, unless it was recorded on another loan."""
    if existing.loan_id != loan_id:
        raise ReferenceUsed(_("This payment reference is already recorded on another loan. Nothing was recorded."))
    return existing


def _apply_payment(loan, *, amount, on, by, method, reference, note, kind=EntryKind.REPAYMENT) -> LedgerEntry:
    position = loan_position(loan, as_of=on)
    pieces, left = allocate(position.instalments, amount, loan.product.allocation_components())
    totals = dict.fromkeys(COMPONENTS, ZERO)
    for _inst, parts in pieces:
        for c in COMPONENTS:
            totals[c] += parts[c]
    entry = LedgerEntry.objects.create(
        loan=loan,
        kind=kind,
        value_date=on,
        amount=amount,
        principal=-totals["principal"],
        interest=-totals["interest"],
        fee=-totals["fee"],
        penalty=-totals["penalty"],
        credit=left,
        external_reference=reference,
        method=method,
        note=note,
        created_by=by,
    )
    Allocation.objects.bulk_create([Allocation(entry=entry, instalment_id=inst.id, **parts) for inst, parts in pieces])
    _after_payment(loan, by=by, on=on)
    return entry


def _after_payment(loan, *, by, on: date) -> None:
    """Close the loan when nothing is owed; close the arrears next action when nothing is overdue."""
    position = loan_position(loan, as_of=on)
    if position.days_overdue == 0:
        NextAction.objects.filter(
            case=loan.case, key=ARREARS_ACTION_KEY.format(loan=loan.pk), done_at__isnull=True
        ).update(done_at=timezone.now())
    if ledger_balance(loan)["owed"] <= ZERO and all(i.is_paid for i in position.instalments):
        loan.settle()
        loan.save()
        _event(loan.case, by=by, note=_("The loan is repaid in full."), data={"loan": loan.pk})


def repayment_reverse(
    *, by, entry_id: int, reason: str, external_reference: str | None = None, check_access=True
) -> LedgerEntry:
    """Undo a repayment with a reversing entry (a bounced transfer, a refund, a mistake)."""
    with transaction.atomic():
        original = LedgerEntry.objects.select_related("loan").get(pk=entry_id)
        loan = _lock(original.loan_id)
        if check_access and not access.can_assign_case(by, loan.case):
            raise NotAllowed(_("Only the region lead or the programme manager can reverse a repayment."))
        if original.kind != EntryKind.REPAYMENT:
            raise Refused(_("Only repayments can be reversed."))
        if LedgerEntry.objects.filter(reverses=original).exists():
            return original.reversed_by
        if external_reference and LedgerEntry.objects.filter(external_reference=external_reference).exists():
            return LedgerEntry.objects.get(external_reference=external_reference)
        reversal = LedgerEntry.objects.create(
            loan=loan,
            kind=EntryKind.REVERSAL,
            value_date=timezone.localdate(),
            amount=original.amount,
            principal=-original.principal,
            interest=-original.interest,
            fee=-original.fee,
            penalty=-original.penalty,
            credit=-original.credit,
            reverses=original,
            external_reference=external_reference,
            note=reason[:500],
            created_by=by,
        )
        Allocation.objects.bulk_create(
            [
                Allocation(
                    entry=reversal,
                    instalment_id=a.instalment_id,
                    principal=-a.principal,
                    interest=-a.interest,
                    fee=-a.fee,
                    penalty=-a.penalty,
                )
                for a in original.allocations.all()
            ]
        )
        if loan.status == LoanStatus.REPAID:
            # Reopen: the money did not stay with us. Direct update: there is no transition back by design.
            Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.ACTIVE, closed_on=None)
        _event(
            loan.case,
            by=by,
            note=_("A repayment of %(amount)s was reversed: %(why)s") % {"amount": original.amount, "why": reason},
            data={"loan": loan.pk},
        )
    return reversal


def payoff_quote(loan: Loan, as_of: date | None = None) -> tuple[Decimal, Decimal]:
    """(amount to settle the loan today, interest that would be waived) under the product's rule."""
    as_of = as_of or timezone.localdate()
    position = loan_position(loan, as_of)
    waived = ZERO
    if loan.product.early_payoff == LoanProduct.EarlyPayoff.INTEREST_TO_DATE:
        current = next((i for i in position.instalments if not i.is_paid and i.due_date >= as_of), None)
        for inst in position.instalments:
            if current and inst.due_date > current.due_date:
                waived += max(inst.outstanding["interest"], ZERO)
    return position.outstanding - waived, waived


def early_payoff(*, by, loan_id: int, on: date, method: str = "", external_reference: str | None = None) -> LedgerEntry:
    """Settle the loan now: waive what the product's rule waives, then take the payment."""
    with transaction.atomic():
        loan = _lock(loan_id)
        if not _can_handle_money(by, loan):
            raise NotAllowed(_("You cannot record repayments on this loan."))
        if loan.status != LoanStatus.ACTIVE:
            raise Refused(_("Only an active loan can be paid off."))
        amount, waived = payoff_quote(loan, on)
        if waived:
            _waive_future_interest(loan, on=on, by=by, note=_("Interest waived on early payoff."))
        return _apply_payment(
            loan, amount=amount, on=on, by=by, method=method, reference=external_reference, note=_("Early payoff")
        )


def _waive_future_interest(loan, *, on, by, note, include_current: bool = False) -> Decimal:
    position = loan_position(loan, on)
    current = next((i for i in position.instalments if not i.is_paid and i.due_date >= on), None)
    pieces = []
    for inst in position.instalments:
        later = current is not None and (
            inst.due_date > current.due_date or (include_current and inst.id == current.id)
        )
        if later and inst.outstanding["interest"] > ZERO:
            pieces.append((inst, inst.outstanding["interest"]))
    total = sum((amount for _i, amount in pieces), ZERO)
    if total:
        entry = LedgerEntry.objects.create(
            loan=loan, kind=EntryKind.WAIVER, value_date=on, amount=ZERO, interest=-total, note=note, created_by=by
        )
        Allocation.objects.bulk_create([Allocation(entry=entry, instalment_id=i.id, interest=a) for i, a in pieces])
    return total


# --- Arrears: penalties, rescheduling, write-off ---------------------------------------------------------


def charge_penalties(loan: Loan, *, as_of: date) -> int:
    """Charge the product's late penalty once on each instalment overdue past its grace days."""
    product = loan.product
    if product.penalty_kind == LoanProduct.PenaltyKind.NONE or loan.status != LoanStatus.ACTIVE:
        return 0
    charged = 0
    with transaction.atomic():
        loan = _lock(loan.pk)
        position = loan_position(loan, as_of)
        already = set(
            LedgerEntry.objects.filter(loan=loan, kind=EntryKind.PENALTY).values_list("instalment_id", flat=True)
        )
        for inst in position.instalments:
            if inst.id in already or inst.days_overdue(as_of) <= product.penalty_grace_days:
                continue
            if product.penalty_kind == LoanProduct.PenaltyKind.FLAT:
                penalty = product.penalty_value
            else:
                base = inst.outstanding["principal"] + inst.outstanding["interest"]
                penalty = _money(base * product.penalty_value / Decimal(100))
            if penalty <= ZERO:
                continue
            LedgerEntry.objects.create(
                loan=loan,
                kind=EntryKind.PENALTY,
                value_date=as_of,
                amount=ZERO,
                penalty=penalty,
                instalment_id=inst.id,
                note=_("Late penalty on instalment %(n)s") % {"n": inst.number},
            )
            charged += 1
    return charged


def arrears_follow_up(loan: Loan, *, as_of: date) -> bool:
    """An instalment overdue beyond the programme's threshold gives the adviser a next action, once."""
    if loan.status != LoanStatus.ACTIVE:
        return False
    threshold = LendingPolicy.for_programme(loan.case.programme).arrears_action_days
    position = loan_position(loan, as_of)
    key = ARREARS_ACTION_KEY.format(loan=loan.pk)
    open_action = NextAction.objects.filter(case=loan.case, key=key, done_at__isnull=True)
    if position.days_overdue > threshold:
        if not open_action.exists():
            NextAction.objects.create(
                case=loan.case,
                key=key,
                title=_("Call about the missed instalment (%(days)s days overdue)") % {"days": position.days_overdue},
                due_date=as_of,
                owner=loan.case.adviser,
            )
            return True
    elif position.days_overdue == 0:
        open_action.update(done_at=timezone.now())
    return False


def loan_reschedule(*, by, loan_id: int, term: int, start_date: date, reason: str) -> Loan:
    """A new schedule from the outstanding principal; the old one is kept, inactive. Approval is logged."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the new schedule."))
    with transaction.atomic():
        loan = _lock(loan_id)
        if not access.can_assign_case(by, loan.case):
            raise NotAllowed(_("Only the region lead or the programme manager can approve a new schedule."))
        if loan.status != LoanStatus.ACTIVE:
            raise Refused(_("Only an active loan can be rescheduled."))
        position = loan_position(loan, start_date)
        principal = position.outstanding_principal
        if principal <= ZERO:
            raise Refused(_("No principal is outstanding."))
        carried_fee = sum((max(i.outstanding["fee"], ZERO) for i in position.instalments), ZERO)
        carried_penalty = sum((max(i.outstanding["penalty"], ZERO) for i in position.instalments), ZERO)
        unpaid_interest = sum((max(i.outstanding["interest"], ZERO) for i in position.instalments), ZERO)
        terms = loan.product.terms(principal=principal, installments=term, start_date=start_date)
        terms = dataclasses.replace(terms, disbursement_fee_flat=ZERO, disbursement_fee_percent=ZERO)
        try:
            schedule = build_schedule(terms)
        except ScheduleError as exc:
            raise Refused(str(exc)) from exc
        # The old schedule's unpaid interest is waived and the new schedule's charged; unpaid principal,
        # fees and penalties are carried to the new rows (the old rows stay, inactive, as they were).
        if unpaid_interest:
            waiver = LedgerEntry.objects.create(
                loan=loan,
                kind=EntryKind.WAIVER,
                value_date=start_date,
                amount=ZERO,
                interest=-unpaid_interest,
                note=_("Interest of the old schedule, replaced by the new one"),
                created_by=by,
            )
            Allocation.objects.bulk_create(
                [
                    Allocation(entry=waiver, instalment_id=i.id, interest=i.outstanding["interest"])
                    for i in position.instalments
                    if i.outstanding["interest"] > ZERO
                ]
            )
        old_version = loan.schedule_version
        Instalment.objects.filter(loan=loan, active=True).update(active=False)
        new_version = old_version + 1
        rows = [
            Instalment(
                loan=loan,
                version=new_version,
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                fee=i.fees + (carried_fee if i.number == 1 else ZERO),
                penalty=carried_penalty if i.number == 1 else ZERO,
            )
            for i in schedule.installments
        ]
        Instalment.objects.bulk_create(rows)
        LedgerEntry.objects.create(
            loan=loan,
            kind=EntryKind.INTEREST,
            value_date=start_date,
            amount=ZERO,
            interest=schedule.total_interest,
            note=_("Interest of the new schedule"),
            created_by=by,
        )
        Reschedule.objects.create(
            loan=loan,
            from_version=old_version,
            to_version=new_version,
            outstanding_principal=principal,
            term=term,
            start_date=start_date,
            reason=reason,
            approved_by=by,
        )
        Loan.objects.filter(pk=loan.pk).update(schedule_version=new_version)
        loan.schedule_version = new_version
        _event(
            loan.case,
            by=by,
            note=_("New repayment schedule approved: %(principal)s over %(term)s instalments. %(reason)s")
            % {"principal": principal, "term": term, "reason": reason},
            data={"loan": loan.pk, "version": new_version},
        )
    return loan


def loan_write_off(*, by, loan_id: int, reason: str) -> Loan:
    """Stop expecting the rest: a manager's decision, logged; later recoveries are recorded separately."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the write-off."))
    with transaction.atomic():
        loan = _lock(loan_id)
        if loan.case.programme_id not in access.scope_of(by).manager_programmes:
            raise NotAllowed(_("Only the programme manager can write off a loan."))
        if loan.status != LoanStatus.ACTIVE:
            raise Refused(_("Only an active loan can be written off."))
        position = loan_position(loan)
        pieces = [
            (i, {c: max(i.outstanding[c], ZERO) for c in COMPONENTS}) for i in position.instalments if not i.is_paid
        ]
        totals = {c: sum((p[c] for _i, p in pieces), ZERO) for c in COMPONENTS}
        entry = LedgerEntry.objects.create(
            loan=loan,
            kind=EntryKind.WRITE_OFF,
            value_date=timezone.localdate(),
            amount=sum(totals.values(), ZERO),
            principal=-totals["principal"],
            interest=-totals["interest"],
            fee=-totals["fee"],
            penalty=-totals["penalty"],
            note=reason[:500],
            created_by=by,
        )
        Allocation.objects.bulk_create([Allocation(entry=entry, instalment_id=i.id, **p) for i, p in pieces])
        loan.write_off()
        loan.save()
        _event(
            loan.case,
            by=by,
            note=_("Loan written off: %(reason)s") % {"reason": reason},
            data={"loan": loan.pk, "amount": str(entry.amount)},
        )
    return loan


def recovery_record(
    *, by, loan_id: int, amount: Decimal, on: date, method: str = "", external_reference: str | None = None
) -> LedgerEntry:
    amount = Decimal(amount)
    if amount <= ZERO:
        raise Refused(_("The amount must be positive."))
    with transaction.atomic():
        loan = _lock(loan_id)
        if not access.can_assign_case(by, loan.case):
            raise NotAllowed(_("Only the region lead or the programme manager can record a recovery."))
        if loan.status != LoanStatus.WRITTEN_OFF:
            raise Refused(_("Recoveries are recorded on written-off loans."))
        if external_reference and LedgerEntry.objects.filter(external_reference=external_reference).exists():
            return LedgerEntry.objects.get(external_reference=external_reference)
        entry = LedgerEntry.objects.create(
            loan=loan,
            kind=EntryKind.RECOVERY,
            value_date=on,
            amount=amount,
            method=method,
            external_reference=external_reference,
            created_by=by,
        )
        _event(
            loan.case,
            by=by,
            note=_("Recovered %(amount)s after write-off.") % {"amount": amount},
            data={"loan": loan.pk},
        )
    return entry


def staff_users():
    return get_user_model().objects.filter(is_active=True)
