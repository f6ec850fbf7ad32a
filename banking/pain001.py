"""ISO 20022 pain.001.001.09 (customer credit transfer initiation): the payouts a bank is asked to make.

Pure: plain values in, UTF-8 XML bytes out. Amounts are Decimal with two decimals; NbOfTxs and CtrlSum are
computed here from the transactions, at group and payment-information level, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str = ""
    organisation_number: str = ""


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    creditor_bic: str = ""
    remittance: str = ""


def _text(parent, tag: str, value: str, **attrs) -> Element:
    element = SubElement(parent, tag, attrs)
    element.text = value
    return element


def _agent(parent, tag: str, bic: str) -> None:
    institution = SubElement(SubElement(parent, tag), "FinInstnId")
    if bic:
        _text(institution, "BICFI", bic)
    else:  # the agent is mandatory; banks take "NOTPROVIDED" when the IBAN alone identifies it
        _text(SubElement(institution, "Othr"), "Id", "NOTPROVIDED")


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def build(
    *,
    message_id: str,
    created_at: datetime,
    execution_date: date,
    currency: str,
    debtor: Debtor,
    transfers: list[Transfer],
) -> bytes:
    if not transfers:
        raise ValueError("a payment file needs at least one transfer")
    count = str(len(transfers))
    total = _money(sum((Decimal(t.amount) for t in transfers), Decimal("0")))
    document = Element("Document", {"xmlns": NAMESPACE})
    initiation = SubElement(document, "CstmrCdtTrfInitn")
    header = SubElement(initiation, "GrpHdr")
    _text(header, "MsgId", message_id)
    _text(header, "CreDtTm", created_at.replace(microsecond=0).isoformat())
    _text(header, "NbOfTxs", count)
    _text(header, "CtrlSum", total)
    party = SubElement(header, "InitgPty")
    _text(party, "Nm", debtor.name[:140])
    if debtor.organisation_number:
        other = SubElement(SubElement(SubElement(party, "Id"), "OrgId"), "Othr")
        _text(other, "Id", debtor.organisation_number.replace("-", ""))
        _text(SubElement(other, "SchmeNm"), "Cd", "BANK")
    info = SubElement(initiation, "PmtInf")
    _text(info, "PmtInfId", message_id)
    _text(info, "PmtMtd", "TRF")
    _text(info, "BtchBookg", "false")  # one line per payout on the statement, so each can be matched
    _text(info, "NbOfTxs", count)
    _text(info, "CtrlSum", total)
    _text(SubElement(SubElement(info, "PmtTpInf"), "SvcLvl"), "Cd", "NURG")
    _text(SubElement(info, "ReqdExctnDt"), "Dt", execution_date.isoformat())
    _text(SubElement(info, "Dbtr"), "Nm", debtor.name[:140])
    debtor_account = SubElement(info, "DbtrAcct")
    _text(SubElement(debtor_account, "Id"), "IBAN", debtor.iban)
    _text(debtor_account, "Ccy", currency)
    _agent(info, "DbtrAgt", debtor.bic)
    _text(info, "ChrgBr", "SLEV")
    for transfer in transfers:
        tx = SubElement(info, "CdtTrfTxInf")
        ids = SubElement(tx, "PmtId")
        _text(ids, "InstrId", transfer.end_to_end_id)
        _text(ids, "EndToEndId", transfer.end_to_end_id)
        _text(SubElement(tx, "Amt"), "InstdAmt", _money(transfer.amount), Ccy=currency)
        if transfer.creditor_bic:
            _agent(tx, "CdtrAgt", transfer.creditor_bic)
        _text(SubElement(tx, "Cdtr"), "Nm", transfer.creditor_name[:140])
        _text(SubElement(SubElement(tx, "CdtrAcct"), "Id"), "IBAN", transfer.creditor_iban)
        if transfer.remittance:
            _text(SubElement(tx, "RmtInf"), "Ustrd", transfer.remittance[:140])
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(document, encoding="unicode").encode("utf-8")
