"""The lending ledger as vouchers for the programme's accountant: SIE 4 (Swedish standard) and CSV.

Cash basis (kontantmetoden): a voucher is made for every ledger entry that moved money, or that turns money
lent into a loss. Interest, fees and penalties become income when they are paid, so their charges and
waivers (entries that move no money) make no voucher. Each entry is one voucher, numbered by the entry's id,
so exporting a period again gives the same numbers. Every voucher balances (debits = credits), checked here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from loans.models import EntryKind, LedgerEntry

from .models import ACCOUNT_ROLES, AccountMapping

ZERO = Decimal("0")


class Unbalanced(ValueError):
    """A voucher whose debits and credits differ: a bug, never exported."""


@dataclass
class Voucher:
    number: int
    day: date
    text: str
    loan_id: int
    payment_reference: str
    kind: str
    rows: list[tuple[str, Decimal]] = field(default_factory=list)  # (role, amount; + debit, − credit)

    @property
    def debits(self) -> Decimal:
        return sum((a for _r, a in self.rows if a > 0), ZERO)

    @property
    def credits(self) -> Decimal:
        return -sum((a for _r, a in self.rows if a < 0), ZERO)


def rows_for(entry: LedgerEntry) -> list[tuple[str, Decimal]]:
    """The booking of one ledger entry by account role (empty for entries that move no money)."""
    kind = entry.kind
    components = [
        ("principal_receivable", entry.principal),
        ("interest_income", entry.interest),
        ("fee_income", entry.fee),
        ("penalty_income", entry.penalty),
        ("customer_credit", -entry.credit),
    ]
    if kind == EntryKind.DISBURSEMENT:
        rows = [("principal_receivable", entry.principal), ("bank", -entry.amount)]
    elif kind == EntryKind.REPAYMENT:
        rows = [("bank", entry.amount), *components]
    elif kind == EntryKind.REVERSAL:
        rows = [("bank", -entry.amount), *components]
    elif kind == EntryKind.REFUND:
        rows = [("customer_credit", -entry.credit), ("bank", -entry.amount)]
    elif kind == EntryKind.WRITE_OFF:
        # Only the principal was ever on the books; unpaid interest, fees and penalties were never income.
        rows = [("write_offs", -entry.principal), ("principal_receivable", entry.principal)]
    elif kind == EntryKind.RECOVERY:
        rows = [("bank", entry.amount), ("write_offs", -entry.amount)]
    else:  # interest, fees and penalties charged, interest waived: no money moved
        rows = []
    rows = [(role, Decimal(amount)) for role, amount in rows if amount]
    total = sum((amount for _role, amount in rows), ZERO)
    if total != ZERO:
        raise Unbalanced(f"ledger entry {entry.pk} ({kind}) does not balance: {total}")
    return rows


def fiscal_year(mapping: AccountMapping, day: date) -> tuple[date, date]:
    month = mapping.fiscal_year_start_month
    start_year = day.year if day.month >= month else day.year - 1
    return date(start_year, month, 1), date(start_year + 1, month, 1) - timedelta(days=1)


def vouchers(programme, *, start: date, end: date) -> list[Voucher]:
    entries = (
        LedgerEntry.objects.filter(loan__case__programme=programme, value_date__range=(start, end))
        .select_related("loan")
        .order_by("value_date", "id")
    )
    result = []
    with translation.override(programme.default_language):
        for entry in entries:
            rows = rows_for(entry)
            if not rows:
                continue
            result.append(
                Voucher(
                    number=entry.pk,
                    day=entry.value_date,
                    text=f"{entry.get_kind_display()} {entry.loan.payment_reference}",
                    loan_id=entry.loan_id,
                    payment_reference=entry.loan.payment_reference,
                    kind=entry.kind,
                    rows=rows,
                )
            )
    return result


def account_names(mapping: AccountMapping) -> dict[str, str]:
    return {role: str(AccountMapping._meta.get_field(role).verbose_name) for role in ACCOUNT_ROLES}


# --- SIE 4 ---------------------------------------------------------------------------------------------------


def _sie_text(value: str) -> str:
    """A quoted SIE string: CP437 only (others transliterated), no control characters, quotes escaped."""
    cleaned = []
    for char in str(value):
        if ord(char) < 32:
            continue
        try:
            char.encode("cp437")
        except UnicodeEncodeError:
            char = unicodedata.normalize("NFKD", char).encode("cp437", "ignore").decode("cp437") or "?"
        cleaned.append(char)
    text = "".join(cleaned).replace("\\", "/").replace('"', '\\"')
    return f'"{text}"'


def _sie_day(day: date) -> str:
    return day.strftime("%Y%m%d")


def sie4(programme, *, start: date, end: date, by=None) -> bytes:
    """SIE type 4 (vouchers) for the period, in CP437 as the format requires (#FORMAT PC8), CRLF lines."""
    from .models import BankAccount

    mapping = AccountMapping.for_programme(programme)
    accounts = mapping.accounts()
    bank = BankAccount.objects.filter(programme=programme).first()
    year_start, year_end = fiscal_year(mapping, start)
    today = timezone.localdate()
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "Neem" 1.0',
        "#FORMAT PC8",
        f"#GEN {_sie_day(today)}" + (f" {_sie_text(by.get_full_name() or by.email)}" if by else ""),
        "#SIETYP 4",
        f"#FNAMN {_sie_text(bank.holder_name if bank else programme.name)}",
    ]
    if bank and bank.organisation_number:
        lines.append(f"#ORGNR {bank.organisation_number}")
    lines += [f"#RAR 0 {_sie_day(year_start)} {_sie_day(year_end)}", f"#VALUTA {programme.currency}"]
    with translation.override(programme.default_language):
        names = account_names(mapping)
        for role in ACCOUNT_ROLES:
            lines.append(f"#KONTO {accounts[role]} {_sie_text(names[role])}")
    for voucher in vouchers(programme, start=start, end=end):
        lines.append(
            f"#VER {mapping.voucher_series} {voucher.number} {_sie_day(voucher.day)} {_sie_text(voucher.text)} "
            f"{_sie_day(today)}"
        )
        lines.append("{")
        for role, amount in voucher.rows:
            lines.append(f"#TRANS {accounts[role]} {{}} {amount:.2f}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def ledger_csv(programme, *, start: date, end: date) -> str:
    """The same vouchers, one row per account line (UTF-8, comma separated, '.' as decimal mark)."""
    mapping = AccountMapping.for_programme(programme)
    accounts = mapping.accounts()
    with translation.override(programme.default_language):
        names = account_names(mapping)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["series", "voucher", "date", "text", "account", "account_name", "debit", "credit", "loan", "reference", "kind"]
    )
    for voucher in vouchers(programme, start=start, end=end):
        for role, amount in voucher.rows:
            writer.writerow(
                [
                    mapping.voucher_series,
                    voucher.number,
                    voucher.day.isoformat(),
                    voucher.text,
                    accounts[role],
                    names[role],
                    f"{amount:.2f}" if amount > 0 else "",
                    f"{-amount:.2f}" if amount < 0 else "",
                    voucher.loan_id,
                    voucher.payment_reference,
                    voucher.kind,
                ]
            )
    return out.getvalue()


def check_period(programme, *, start: date, end: date) -> str | None:
    """Why the period cannot be exported, or None."""
    if end < start:
        return _("The period ends before it starts.")
    year_start, year_end = fiscal_year(AccountMapping.for_programme(programme), start)
    if end > year_end:
        return _("The period must lie in one fiscal year (%(start)s – %(end)s); export each year on its own.") % {
            "start": year_start.isoformat(),
            "end": year_end.isoformat(),
        }
    return None
