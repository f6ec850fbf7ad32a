"""Reading bank statements: ISO 20022 camt.053 XML and a simple CSV. Pure: bytes in, lines out.

Both refuse a file they cannot read whole with a `StatementError` naming what is wrong, so an import either
reads every line or changes nothing. XML is parsed with defusedxml with DTDs forbidden outright (no entity
can expand or reach outside), after a size check.

The CSV (UTF-8, comma or semicolon separated, a header row; column names in any order and case):

    booking_date   YYYY-MM-DD (required; "date" works too)
    amount         required; positive = money in, negative = money out; "." or "," as the decimal mark
    bank_reference required; the bank's unique id of the transaction ("transaction_id" works too)
    currency       ISO 4217 (default: the programme's)
    reference      the payment reference (OCR) the payer gave
    message        free text from the payer
    name           the payer's (or payee's) name
    account        the payer's account
    end_to_end_id  for payouts: the EndToEndId of the payment file
    value_date     YYYY-MM-DD
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 20_000
CAMT053 = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$")


class StatementError(ValueError):
    """The file cannot be read; the message says why, for the person who uploaded it."""


@dataclass
class ParsedLine:
    direction: str  # CRDT or DBIT
    amount: Decimal
    currency: str
    booking_date: date
    bank_reference: str
    value_date: date | None = None
    end_to_end_id: str = ""
    structured_reference: str = ""
    message: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    reversal: bool = False
    booked: bool = True


@dataclass
class ParsedStatement:
    format: str
    statement_id: str = ""
    account_iban: str = ""
    from_date: date | None = None
    to_date: date | None = None
    lines: list[ParsedLine] = field(default_factory=list)


def _check_size(data: bytes) -> None:
    if not data:
        raise StatementError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise StatementError(
            _("The file is too large (%(size)s MB; at most %(max)s MB).")
            % {"size": round(len(data) / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}
        )


def _amount(text: str, where: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation as exc:
        raise StatementError(_("%(where)s: “%(text)s” is not an amount.") % {"where": where, "text": text}) from exc
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise StatementError(_("%(where)s: “%(text)s” is not an amount.") % {"where": where, "text": text})
    return value.quantize(Decimal("0.01"))


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError as exc:
        raise StatementError(_("%(where)s: “%(text)s” is not a date.") % {"where": where, "text": text}) from exc


# --- camt.053 ------------------------------------------------------------------------------------------------


class _Tree:
    """Namespace-free lookups on the camt document (the version's namespace is checked once)."""

    def __init__(self, ns: str):
        self.ns = ns

    def path(self, *names: str) -> str:
        return "/".join(f"{{{self.ns}}}{name}" for name in names)

    def find(self, element, *names):
        return element.find(self.path(*names)) if element is not None else None

    def text(self, element, *names) -> str:
        found = self.find(element, *names)
        return (found.text or "").strip() if found is not None and found.text else ""

    def findall(self, element, *names):
        return element.findall(self.path(*names)) if element is not None else []


def parse_camt053(data: bytes) -> ParsedStatement:
    _check_size(data)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise StatementError(_("The file declares a DTD or entities, which a bank statement never has.")) from exc
    except ParseError as exc:
        raise StatementError(_("The file is not well-formed XML: %(why)s") % {"why": exc}) from exc
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not CAMT053.match(ns) or root.tag != f"{{{ns}}}Document":
        raise StatementError(
            _("This is not a camt.053 bank statement (the document's namespace is “%(ns)s”).") % {"ns": ns or "none"}
        )
    t = _Tree(ns)
    statements = t.findall(root, "BkToCstmrStmt", "Stmt")
    if not statements:
        raise StatementError(_("The file holds no statement (BkToCstmrStmt/Stmt)."))
    if len(statements) > 1:
        raise StatementError(_("The file holds several statements; import them one file each."))
    stmt = statements[0]
    result = ParsedStatement(format="camt053")
    result.statement_id = t.text(stmt, "Id")
    if not result.statement_id:
        raise StatementError(_("The statement has no Id."))
    result.account_iban = t.text(stmt, "Acct", "Id", "IBAN") or t.text(stmt, "Acct", "Id", "Othr", "Id")
    frm, to = t.text(stmt, "FrToDt", "FrDtTm"), t.text(stmt, "FrToDt", "ToDtTm")
    result.from_date = _date(frm, "FrToDt") if frm else None
    result.to_date = _date(to, "FrToDt") if to else None
    for number, entry in enumerate(t.findall(stmt, "Ntry"), start=1):
        result.lines += _entry_lines(t, entry, number, result.statement_id)
        if len(result.lines) > MAX_LINES:
            raise StatementError(_("The file has more than %(max)s transactions.") % {"max": MAX_LINES})
    return result


def _entry_lines(t: _Tree, entry, number: int, statement_id: str) -> list[ParsedLine]:
    where = _("Entry %(n)s") % {"n": number}
    amount_el = t.find(entry, "Amt")
    if amount_el is None:
        raise StatementError(_("%(where)s has no amount.") % {"where": where})
    amount = _amount(amount_el.text or "", where)
    currency = (amount_el.get("Ccy") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementError(_("%(where)s has no currency (Amt/@Ccy).") % {"where": where})
    direction = t.text(entry, "CdtDbtInd")
    if direction not in ("CRDT", "DBIT"):
        raise StatementError(_("%(where)s: CdtDbtInd must be CRDT or DBIT.") % {"where": where})
    # camt.053.001.02 has <Sts>BOOK</Sts>; later versions <Sts><Cd>BOOK</Cd></Sts>.
    status = t.text(entry, "Sts") or t.text(entry, "Sts", "Cd")
    booking_text = t.text(entry, "BookgDt", "Dt") or t.text(entry, "BookgDt", "DtTm")
    if not booking_text:
        raise StatementError(_("%(where)s has no booking date.") % {"where": where})
    booking = _date(booking_text, where)
    value_text = t.text(entry, "ValDt", "Dt") or t.text(entry, "ValDt", "DtTm")
    value = _date(value_text, where) if value_text else None
    reversal = t.text(entry, "RvslInd").lower() == "true"
    entry_ref = t.text(entry, "AcctSvcrRef") or t.text(entry, "NtryRef")
    details = [tx for dtls in t.findall(entry, "NtryDtls") for tx in t.findall(dtls, "TxDtls")]
    lines = []
    for index, tx in enumerate(details or [None], start=1):
        tx_amount, tx_currency = amount, currency
        if tx is not None and len(details) > 1:
            tx_amt = t.find(tx, "Amt")
            if tx_amt is None:  # an Element with no children is falsy: compare with None
                tx_amt = t.find(tx, "AmtDtls", "TxAmt", "Amt")
            if tx_amt is None:
                raise StatementError(_("%(where)s: a transaction of a batch has no amount.") % {"where": where})
            tx_amount = _amount(tx_amt.text or "", where)
            tx_currency = (tx_amt.get("Ccy") or currency).upper()
        tx_ref = t.text(tx, "Refs", "AcctSvcrRef") or t.text(tx, "Refs", "TxId")
        if tx_ref:
            bank_reference = tx_ref
        elif entry_ref:
            bank_reference = entry_ref if len(details) <= 1 else f"{entry_ref}/{index}"
        else:
            # No id from the bank: the statement's id and the position are stable for this statement.
            bank_reference = f"{statement_id}/{number}/{index}"
        counterparty = "Dbtr" if direction == "CRDT" else "Cdtr"
        party_name = t.text(tx, "RltdPties", counterparty, "Nm") or t.text(tx, "RltdPties", counterparty, "Pty", "Nm")
        party_account = t.text(tx, "RltdPties", f"{counterparty}Acct", "Id", "IBAN") or t.text(
            tx, "RltdPties", f"{counterparty}Acct", "Id", "Othr", "Id"
        )
        structured = " ".join(
            t.text(strd, "CdtrRefInf", "Ref") for strd in t.findall(t.find(tx, "RmtInf"), "Strd")
        ).strip()
        message = " ".join((u.text or "").strip() for u in t.findall(t.find(tx, "RmtInf"), "Ustrd")).strip() or t.text(
            entry, "AddtlNtryInf"
        )
        lines.append(
            ParsedLine(
                direction=direction,
                amount=tx_amount,
                currency=tx_currency,
                booking_date=booking,
                value_date=value,
                bank_reference=bank_reference[:140],
                end_to_end_id=t.text(tx, "Refs", "EndToEndId")[:140],
                structured_reference=structured[:140],
                message=message[:500],
                counterparty_name=party_name[:140],
                counterparty_account=party_account[:40],
                reversal=reversal,
                booked=status in ("BOOK", ""),
            )
        )
    return lines


# --- CSV -----------------------------------------------------------------------------------------------------

ALIASES = {
    "date": "booking_date",
    "booked": "booking_date",
    "transaction_id": "bank_reference",
    "bank_ref": "bank_reference",
    "ocr": "reference",
    "payer": "name",
}


def parse_csv(data: bytes, *, default_currency: str) -> ParsedStatement:
    _check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementError(_("The CSV file is not UTF-8 text.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise StatementError(_("The file is empty.")) from exc
    columns = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in ("booking_date", "amount", "bank_reference") if c not in columns]
    if missing:
        raise StatementError(_("The CSV file has no column %(columns)s.") % {"columns": ", ".join(missing)})
    result = ParsedStatement(format="csv")
    try:
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise StatementError(
                    _("Row %(n)s has %(got)s columns; the header has %(want)s.")
                    % {"n": row_number, "got": len(row), "want": len(columns)}
                )
            cells = {c: v.strip() for c, v in zip(columns, row, strict=True)}
            where = _("Row %(n)s") % {"n": row_number}
            raw = cells["amount"].replace(" ", "").replace("\u00a0", "")
            if "," in raw and "." not in raw:
                raw = raw.replace(",", ".")
            amount = _amount(raw, where)
            if amount == 0:
                raise StatementError(_("%(where)s: the amount is zero.") % {"where": where})
            if not cells["bank_reference"]:
                raise StatementError(_("%(where)s has no bank_reference.") % {"where": where})
            currency = (cells.get("currency") or default_currency).upper()
            if not re.fullmatch(r"[A-Z]{3}", currency):
                raise StatementError(_("%(where)s: “%(c)s” is not a currency code.") % {"where": where, "c": currency})
            result.lines.append(
                ParsedLine(
                    direction="CRDT" if amount > 0 else "DBIT",
                    amount=abs(amount),
                    currency=currency,
                    booking_date=_date(cells["booking_date"], where),
                    value_date=_date(cells["value_date"], where) if cells.get("value_date") else None,
                    bank_reference=cells["bank_reference"][:140],
                    end_to_end_id=cells.get("end_to_end_id", "")[:140],
                    structured_reference=cells.get("reference", "")[:140],
                    message=cells.get("message", "")[:500],
                    counterparty_name=cells.get("name", "")[:140],
                    counterparty_account=cells.get("account", "")[:40],
                )
            )
            if len(result.lines) > MAX_LINES:
                raise StatementError(_("The file has more than %(max)s transactions.") % {"max": MAX_LINES})
    except csv.Error as exc:
        raise StatementError(_("The CSV file cannot be read: %(why)s") % {"why": exc}) from exc
    if not result.lines:
        raise StatementError(_("The CSV file has no transactions."))
    dates = [line.booking_date for line in result.lines]
    result.from_date, result.to_date = min(dates), max(dates)
    return result


def parse(data: bytes, *, file_name: str, default_currency: str) -> ParsedStatement:
    """By content: XML starts with '<' (after a BOM and blanks); anything else is read as CSV."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return parse_camt053(data)
    if file_name.lower().endswith(".xml"):
        raise StatementError(_("The file is not well-formed XML."))
    return parse_csv(data, default_currency=default_currency)
