"""Bank transfers: import a statement, match its lines to loans, decide the queue, confirm payouts.

Money reaches the ledger only through loans.services (repayment_record, recovery_record, loan_disburse),
keyed by the bank's transaction id, so a line applied once is never applied again, whatever file brings it.
Every write here is done by a programme manager, in one transaction, and logged (LineDecision).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from loans import reference as ocr
from loans import services as loan_services
from loans.models import Loan, LoanStatus
from neem import access

from . import statements
from .models import (
    BankAccount,
    BankStatement,
    LineDecision,
    LineStatus,
    PayoutOrder,
    StatementLine,
)

METHOD = "bank transfer"
PAYOUT_METHOD = "bank transfer (pain.001)"


def is_manager(user, programme_id: int) -> bool:
    return programme_id in access.scope_of(user).manager_programmes


def ledger_reference(line: StatementLine) -> str:
    """The repayment's external reference: the bank's id, within the programme (two banks may reuse ids)."""
    return f"bank:{line.programme_id}:{line.bank_reference}"[:120]


@dataclass
class ImportResult:
    statement: BankStatement
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    skipped_pending: int = 0


def statement_import(*, by, programme, data: bytes, file_name: str) -> ImportResult:
    """Read the file whole, then in one transaction store it and apply what matches. The same file twice
    changes nothing; a transaction already imported with another file is kept as a duplicate and not applied."""
    if not is_manager(by, programme.pk):
        raise NotAllowed(_("Only the programme's managers import its bank statements."))
    digest = hashlib.sha256(data).hexdigest()
    existing = BankStatement.objects.filter(programme=programme, sha256=digest).first()
    if existing:
        return ImportResult(statement=existing, created=False)
    try:
        parsed = statements.parse(data, file_name=file_name, default_currency=programme.currency)
    except statements.StatementError as exc:
        raise Refused(_("The file was not imported: %(why)s") % {"why": exc}) from exc
    account = BankAccount.objects.filter(programme=programme).first()
    theirs = parsed.account_iban.replace(" ", "").upper()
    # Only an IBAN can be compared (a statement may name the account by its domestic number instead).
    if account and theirs[:2].isalpha() and theirs != account.iban:
        raise Refused(
            _("The file was not imported: it is a statement of account %(theirs)s, not of the programme's %(ours)s.")
            % {"theirs": parsed.account_iban, "ours": account.iban}
        )
    booked = [line for line in parsed.lines if line.booked]
    try:
        return _store_and_apply(
            by=by, programme=programme, parsed=parsed, booked=booked, digest=digest, file_name=file_name
        )
    except IntegrityError:
        # The same file (or transaction) imported at the same moment by someone else: theirs stands.
        existing = BankStatement.objects.filter(programme=programme, sha256=digest).first()
        if existing:
            return ImportResult(statement=existing, created=False)
        raise


def _store_and_apply(*, by, programme, parsed, booked, digest, file_name) -> ImportResult:
    with transaction.atomic():
        statement = BankStatement.objects.create(
            programme=programme,
            format=parsed.format,
            file_name=file_name[:255],
            sha256=digest,
            statement_id=parsed.statement_id[:140],
            account_iban=parsed.account_iban[:34],
            from_date=parsed.from_date,
            to_date=parsed.to_date,
            imported_by=by,
        )
        known = set(
            StatementLine.objects.filter(programme=programme, bank_reference__in=[p.bank_reference for p in booked])
            .exclude(status=LineStatus.DUPLICATE)
            .values_list("bank_reference", flat=True)
        )
        matcher = _Matcher(programme, booked)
        counts: dict[str, int] = {}
        seen: set[str] = set()
        for index, parsed_line in enumerate(booked, start=1):
            duplicate = parsed_line.bank_reference in known or parsed_line.bank_reference in seen
            seen.add(parsed_line.bank_reference)
            line = StatementLine.objects.create(
                statement=statement,
                programme=programme,
                index=index,
                direction=parsed_line.direction,
                amount=parsed_line.amount,
                currency=parsed_line.currency,
                booking_date=parsed_line.booking_date,
                value_date=parsed_line.value_date,
                bank_reference=parsed_line.bank_reference,
                end_to_end_id=parsed_line.end_to_end_id,
                structured_reference=parsed_line.structured_reference,
                message=parsed_line.message,
                counterparty_name=parsed_line.counterparty_name,
                counterparty_account=parsed_line.counterparty_account,
                reversal=parsed_line.reversal,
                status=LineStatus.DUPLICATE if duplicate else LineStatus.OTHER,
            )
            if not duplicate:
                _process(line, by=by, matcher=matcher)
            counts[line.status] = counts.get(line.status, 0) + 1
    return ImportResult(
        statement=statement, created=True, counts=counts, skipped_pending=len(parsed.lines) - len(booked)
    )


# --- Matching ------------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


class _Matcher:
    """Finds loans by reference for a whole file in one query; amount-and-name suggestions are worked
    out only if a line needs one (once per import)."""

    def __init__(self, programme, lines):
        self.programme = programme
        wanted = set()
        for line in lines:
            wanted.update(self.valid_candidates(line)[0])
        self.by_reference = {
            loan.payment_reference: loan
            for loan in Loan.objects.filter(case__programme=programme, payment_reference__in=wanted).select_related(
                "case__participant"
            )
        }
        self._active = None

    @staticmethod
    def valid_candidates(line) -> tuple[list[str], list[str]]:
        """(well-formed references, reference-like numbers that fail the check) in the line's fields."""
        found = []
        structured = ocr.normalize(line.structured_reference)
        if structured.isdigit():
            found.append(structured)
        found += ocr.candidates_in(line.message)
        valid = [c for c in dict.fromkeys(found) if ocr.is_valid_reference(c)]
        invalid = [c for c in dict.fromkeys(found) if not ocr.is_valid_reference(c)]
        return valid, invalid

    def by_ref(self, line) -> tuple[Loan | None, str]:
        valid, invalid = self.valid_candidates(line)
        loans = {self.by_reference[c].pk: self.by_reference[c] for c in valid if c in self.by_reference}
        if len(loans) == 1:
            return next(iter(loans.values())), ""
        if len(loans) > 1:
            return None, _("The payer gave the references of several loans.")
        if valid:
            return None, _("No loan of this programme has the reference %(ref)s.") % {"ref": valid[0]}
        if invalid:
            return None, _("The reference %(ref)s has a wrong check digit (a typing error?).") % {"ref": invalid[0]}
        return None, _("The payer gave no payment reference.")

    def active(self) -> list[tuple[Loan, Decimal, Decimal]]:
        if self._active is None:
            self._active = []
            for loan in Loan.objects.filter(case__programme=self.programme, status=LoanStatus.ACTIVE).select_related(
                "case__participant", "product"
            ):
                position = loan_services.loan_position(loan)
                nxt = position.next_instalment
                self._active.append((loan, nxt.total_outstanding if nxt else Decimal("0"), position.outstanding))
        return self._active

    def suggest(self, line) -> tuple[Loan | None, str]:
        """A loan whose borrower's name the payer's name contains and/or whose next instalment (or what is
        left) is the amount; only a single best fit is suggested."""
        payer = set(_fold(line.counterparty_name).replace(",", " ").split())
        scored = []
        for loan, next_amount, outstanding in self.active():
            if loan.currency != line.currency:
                continue
            person = loan.case.participant
            names = set(_fold(f"{person.first_name} {person.last_name}").split())
            score, why = 0, []
            if payer and names and names <= payer:
                score, why = 2, [_("the payer's name")]
            elif payer and _fold(person.last_name) and set(_fold(person.last_name).split()) <= payer:
                score, why = 1, [_("the payer's family name")]
            if line.amount in (next_amount, outstanding) and line.amount > 0:
                score += 1
                why.append(_("the amount"))
            if score:
                scored.append((score, loan, why))
        if not scored:
            return None, ""
        best = max(s for s, _loan, _why in scored)
        top = [(loan, why) for s, loan, why in scored if s == best]
        if len(top) > 1:
            return None, _("%(n)s loans fit equally well: check the payer with the advisers.") % {"n": len(top)}
        loan, why = top[0]
        return loan, _("Fits by %(what)s.") % {"what": _(" and ").join(str(w) for w in why)}


def _decide(line, *, action, by, note="", loan=None) -> None:
    LineDecision.objects.create(line=line, action=action, by=by, note=str(note)[:500], loan=loan)


def _wait(line, *, by, reason, matcher=None) -> None:
    line.status = LineStatus.WAITING
    line.reason = str(reason)[:300]
    if matcher is not None and line.direction == StatementLine.Direction.CREDIT:
        line.suggested_loan, line.suggestion = matcher.suggest(line)
        line.suggestion = str(line.suggestion)[:300]
    line.save()
    _decide(line, action=LineDecision.Action.QUEUED, by=by, note=line.reason, loan=line.suggested_loan)


def _process(line: StatementLine, *, by, matcher: _Matcher) -> None:
    if line.direction == StatementLine.Direction.DEBIT:
        _process_debit(line, by=by)
        return
    if line.reversal:
        _wait(line, by=by, reason=_("The bank reversed a transaction here: check it by hand."))
        return
    loan, reason = matcher.by_ref(line)
    if loan is None:
        _wait(line, by=by, reason=reason, matcher=matcher)
        return
    if loan.status != LoanStatus.ACTIVE:
        _wait(
            line,
            by=by,
            reason=_("The reference is of a loan that is %(status)s.") % {"status": loan.get_status_display()},
            matcher=None,
        )
        line.suggested_loan, line.suggestion = loan, _("The loan of the reference.")
        line.save(update_fields=["suggested_loan", "suggestion"])
        return
    try:
        _apply(line, loan, by=by)
    except Refused as exc:
        _wait(line, by=by, reason=exc.message)
        line.suggested_loan = loan
        line.save(update_fields=["suggested_loan"])
        return
    line.status = LineStatus.MATCHED
    line.save()
    _decide(line, action=LineDecision.Action.MATCHED, by=by, loan=loan, note=_("By the payment reference."))


def _apply(line: StatementLine, loan: Loan, *, by):
    """Record the line on the loan through the ledger's own services; an over-payment becomes her credit."""
    if line.currency != loan.currency:
        raise Refused(
            _("The payment is in %(paid)s; the loan is in %(loan)s.") % {"paid": line.currency, "loan": loan.currency}
        )
    note = _("Bank transfer %(ref)s") % {"ref": line.bank_reference}
    if loan.status == LoanStatus.ACTIVE:
        entry = loan_services.repayment_record(
            by=by,
            loan_id=loan.pk,
            amount=line.amount,
            on=line.booking_date,
            method=METHOD,
            external_reference=ledger_reference(line),
            note=note[:500],
        )
    elif loan.status == LoanStatus.WRITTEN_OFF:
        entry = loan_services.recovery_record(
            by=by,
            loan_id=loan.pk,
            amount=line.amount,
            on=line.booking_date,
            method=METHOD,
            external_reference=ledger_reference(line),
        )
    else:
        raise Refused(
            _("A payment cannot be recorded on a loan that is %(status)s.") % {"status": loan.get_status_display()}
        )
    if entry.loan_id != loan.pk:  # the reference was recorded on another loan: never move money silently
        raise Refused(_("This bank transaction is already recorded on another loan."))
    line.loan, line.entry = loan, entry
    return entry


def _process_debit(line: StatementLine, *, by) -> None:
    if not line.end_to_end_id:
        line.status = LineStatus.OTHER
        line.save()
        return
    order = (
        PayoutOrder.objects.select_related("loan", "payment_file")
        .filter(end_to_end_id=line.end_to_end_id, payment_file__programme=line.programme_id)
        .first()
    )
    if order is None:
        line.status = LineStatus.OTHER
        line.save()
        return
    if order.confirmed_on:
        _wait(line, by=by, reason=_("This payout was already confirmed by an earlier line."))
        return
    if (line.amount, line.currency) != (order.amount, order.payment_file.currency):
        _wait(
            line,
            by=by,
            reason=_("The bank paid %(paid)s %(currency)s; the payment file asked %(asked)s.")
            % {"paid": line.amount, "currency": line.currency, "asked": order.amount},
        )
        return
    loan = order.loan
    note = _("Payout %(id)s seen on the statement.") % {"id": order.end_to_end_id}
    if loan.status == LoanStatus.ACCEPTED:
        try:
            # The payout service stays the only writer of the disbursement entry; the bank's booking date
            # is the payout date, so the schedule starts from the day the money left.
            loan_services.loan_disburse(
                by=by, loan_id=loan.pk, on=line.booking_date, method=PAYOUT_METHOD, reference=order.end_to_end_id
            )
        except Refused as exc:
            _wait(line, by=by, reason=exc.message)
            return
    else:
        note = _("Payout %(id)s seen on the statement; the loan was already paid out in Neem.") % {
            "id": order.end_to_end_id
        }
    order.confirmed_on = line.booking_date
    order.save(update_fields=["confirmed_on"])
    line.status, line.loan, line.payout = LineStatus.PAYOUT, loan, order
    line.save()
    _decide(line, action=LineDecision.Action.PAYOUT, by=by, loan=loan, note=note)


# --- The queue -----------------------------------------------------------------------------------------------


def _locked_line(line_id: int, by) -> StatementLine:
    line = StatementLine.objects.select_for_update(of=("self",)).select_related("programme").get(pk=line_id)
    if not is_manager(by, line.programme_id):
        raise NotAllowed(_("Only the programme's managers decide its bank lines."))
    if line.status != LineStatus.WAITING:
        raise Refused(_("This line has already been decided."))
    return line


def line_assign(*, by, line_id: int, loan_id: int, note: str) -> StatementLine:
    """Apply a waiting incoming payment to the loan a manager chose (a recovery if it is written off)."""
    note = (note or "").strip()
    if not note:
        raise Refused(_("Say why this payment belongs to this loan."))
    with transaction.atomic():
        line = _locked_line(line_id, by)
        if line.direction != StatementLine.Direction.CREDIT:
            raise Refused(_("Only money in can be applied to a loan; reject this line with a note instead."))
        loan = Loan.objects.filter(pk=loan_id, case__programme=line.programme_id).first()
        if loan is None:
            raise Refused(_("Choose a loan of this programme."))
        _apply(line, loan, by=by)
        line.status = LineStatus.ASSIGNED
        line.save()
        _decide(line, action=LineDecision.Action.ASSIGNED, by=by, loan=loan, note=note)
    return line


def line_reject(*, by, line_id: int, note: str) -> StatementLine:
    """Take a line out of the queue without touching a loan (sent back to the payer, not ours...)."""
    note = (note or "").strip()
    if not note:
        raise Refused(_("Say why the line is rejected (e.g. sent back to the payer)."))
    with transaction.atomic():
        line = _locked_line(line_id, by)
        line.status = LineStatus.REJECTED
        line.save()
        _decide(line, action=LineDecision.Action.REJECTED, by=by, note=note)
    return line


# --- Payouts: the borrower's account and the pain.001 file ---------------------------------------------------


def payout_account_set(*, by, loan_id: int, holder_name: str, iban: str, bic: str = ""):
    """Record where a loan is paid out to (before it is in a payment file)."""
    from django.core.exceptions import ValidationError

    from .models import PayoutAccount, bic_validator, iban_is_valid

    iban = (iban or "").replace(" ", "").upper()
    bic = (bic or "").replace(" ", "").upper()
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise Refused(_("Give the account holder's name."))
    if not iban_is_valid(iban):
        raise Refused(_("This is not a valid IBAN (check the letters, digits and check digits)."))
    if bic:
        try:
            bic_validator(bic)
        except ValidationError as exc:
            raise Refused(exc.messages[0]) from exc
    with transaction.atomic():
        loan = Loan.objects.select_for_update(of=("self",)).select_related("case").get(pk=loan_id)
        if not is_manager(by, loan.case.programme_id):
            raise NotAllowed(_("Only the programme's managers prepare payouts."))
        if loan.status not in (LoanStatus.AWAITING_ACCEPTANCE, LoanStatus.ACCEPTED):
            raise Refused(_("This loan has already been paid out."))
        account, _created = PayoutAccount.objects.update_or_create(
            loan=loan, defaults={"holder_name": holder_name, "iban": iban, "bic": bic, "recorded_by": by}
        )
        loan_services._event(
            loan.case,
            by=by,
            note=_("Payout account recorded: %(holder)s, %(iban)s.") % {"holder": holder_name, "iban": iban},
            data={"loan": loan.pk},
        )
    return account


def payment_file_create(*, by, programme, loan_ids: list[int], execution_date):
    """A pain.001 file paying out the chosen accepted loans from the programme's account."""
    import secrets

    from django.utils import timezone

    from . import pain001
    from .models import PaymentFile

    if not is_manager(by, programme.pk):
        raise NotAllowed(_("Only the programme's managers make payment files."))
    account = BankAccount.objects.filter(programme=programme).first()
    if account is None:
        raise Refused(_("The programme's bank account is not set up yet (an administrator does it in Configuration)."))
    if not loan_ids:
        raise Refused(_("Choose at least one loan to pay out."))
    if execution_date < timezone.localdate():
        raise Refused(_("The payment date cannot be in the past."))
    with transaction.atomic():
        loans = list(
            Loan.objects.select_for_update(of=("self",))
            .filter(pk__in=loan_ids, case__programme=programme)
            .select_related("case__participant", "payout_account")
            .order_by("pk")
        )
        if len(loans) != len(set(loan_ids)):
            raise Refused(_("One of the chosen loans is not of this programme."))
        for loan in loans:
            if loan.status != LoanStatus.ACCEPTED:
                raise Refused(
                    _("The loan of %(name)s cannot be paid out: it is %(status)s.")
                    % {"name": loan.case.participant.full_name, "status": loan.get_status_display()}
                )
            if not hasattr(loan, "payout_account"):
                raise Refused(
                    _("Record the payout account of %(name)s first.") % {"name": loan.case.participant.full_name}
                )
            if loan.currency != programme.currency:
                raise Refused(_("Every payout of a file must be in the programme's currency."))
        now = timezone.now()
        message_id = f"NEEM-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3).upper()}"
        transfers = [
            pain001.Transfer(
                end_to_end_id=f"NEEM-L{loan.pk}-{secrets.token_hex(4).upper()}",
                amount=loan.principal,
                creditor_name=loan.payout_account.holder_name,
                creditor_iban=loan.payout_account.iban,
                creditor_bic=loan.payout_account.bic,
                remittance=_("Loan %(ref)s") % {"ref": loan.payment_reference},
            )
            for loan in loans
        ]
        xml = pain001.build(
            message_id=message_id,
            created_at=timezone.localtime(now),
            execution_date=execution_date,
            currency=programme.currency,
            debtor=pain001.Debtor(
                name=account.holder_name,
                iban=account.iban,
                bic=account.bic,
                organisation_number=account.organisation_number,
            ),
            transfers=transfers,
        )
        payment_file = PaymentFile.objects.create(
            programme=programme,
            message_id=message_id,
            execution_date=execution_date,
            number_of_transactions=len(transfers),
            control_sum=sum((t.amount for t in transfers), Decimal("0")),
            currency=programme.currency,
            xml=xml.decode("utf-8"),
            created_by=by,
        )
        for loan, transfer in zip(loans, transfers, strict=True):
            PayoutOrder.objects.create(
                payment_file=payment_file,
                loan=loan,
                end_to_end_id=transfer.end_to_end_id,
                amount=transfer.amount,
                creditor_name=transfer.creditor_name,
                creditor_iban=transfer.creditor_iban,
                creditor_bic=transfer.creditor_bic,
            )
            loan_services._event(
                loan.case,
                by=by,
                note=_("Payout of %(amount)s %(currency)s put in payment file %(file)s.")
                % {"amount": loan.principal, "currency": loan.currency, "file": message_id},
                data={"loan": loan.pk},
            )
    return payment_file
