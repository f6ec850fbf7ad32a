"""Demo bank transfers: the programme's account and chart, and a statement with one payment matched by
the borrower's reference and one without a reference waiting in the queue. Safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from loans.models import Loan

from . import services
from .models import AccountMapping, BankAccount, BankStatement

DEMO_STATEMENT_ID = "DEMO-STATEMENT-1"
IBAN = "SE4550000000058398257466"

CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>{statement_id}</MsgId><CreDtTm>{day}T22:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>{statement_id}</Id>
      <FrToDt><FrDtTm>{day}T00:00:00</FrDtTm><ToDtTm>{day}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>{iban}</IBAN></Id></Acct>
      <Ntry><Amt Ccy="SEK">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>DEMO-BANKREF-1</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Hodan Ali</Nm></Dbtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="SEK">750.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>DEMO-BANKREF-2</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ALI, HODAN</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>Avbetalning lan november</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
    </Stmt></BkToCstmrStmt>
</Document>
"""


def seed(*, programme, staff: dict) -> None:
    BankAccount.objects.get_or_create(
        programme=programme,
        defaults={
            "holder_name": "Neem Mikrofinans ideell förening",
            "organisation_number": "802400-1234",
            "iban": IBAN,
            "bic": "ESSESESS",
            "bankgiro": "5050-1055",
        },
    )
    AccountMapping.for_programme(programme)
    group = Group.objects.filter(name="Programme administrators").first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="banking", content_type__model__in=["bankaccount", "accountmapping"]
            )
        )
    if BankStatement.objects.filter(programme=programme, statement_id=DEMO_STATEMENT_ID).exists():
        return
    loan = Loan.objects.filter(case__programme=programme, case__participant__email="borrower@example.com").first()
    if loan is None:
        return
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    data = CAMT.format(statement_id=DEMO_STATEMENT_ID, day=day, iban=IBAN, reference=loan.payment_reference)
    services.statement_import(
        by=staff["manager@example.com"], programme=programme, data=data.encode(), file_name="demo-camt053.xml"
    )
