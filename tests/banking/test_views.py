"""The banking pages: only the programme's managers, object by object; constant queries on the lists."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banking import services
from banking.models import BankStatement, LineStatus, StatementLine
from loans.models import LedgerEntry
from neem.models import Role
from tests.conftest import staff
from tests.factories import ProgrammeFactory

from .conftest import read

pytestmark = pytest.mark.django_db


def imported(world, name="statement_several.xml", data=None):
    return services.statement_import(
        by=world.manager, programme=world.programme, data=data or read(name), file_name=name
    ).statement


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def another_statement(world, n: int):
    data = (
        read("statement_several.xml")
        .replace(b"BANKREF-", f"B{n}-".encode())
        .replace(b"STMT-2026-02-15", f"STMT-{n}".encode())
    )
    return imported(world, f"s{n}.xml", data)


@pytest.fixture
def other_manager(db):
    programme = ProgrammeFactory(name="Another programme")
    return staff(Role.MANAGER, programme=programme)


def test_the_manager_imports_a_statement_from_the_page(bank, client):
    client.force_login(bank.manager)
    upload = SimpleUploadedFile("feb.xml", read("statement_several.xml"), content_type="application/xml")

    response = client.post("/bank/statements/import/", {"programme": bank.programme.pk, "file": upload}, follow=True)

    statement = BankStatement.objects.get()
    assert response.redirect_chain[-1][0] == f"/bank/statements/{statement.pk}/"
    body = response.content.decode()
    assert "2 applied by reference" in body and "3 waiting in the queue" in body
    assert "BANKREF-0003" in body


def test_a_malformed_file_on_the_page_shows_the_reason_and_changes_nothing(bank, client):
    client.force_login(bank.manager)
    upload = SimpleUploadedFile("bad.xml", read("statement_malformed.xml"), content_type="application/xml")

    response = client.post("/bank/statements/import/", {"programme": bank.programme.pk, "file": upload})

    assert response.status_code == 200
    assert "not well-formed XML" in response.content.decode()
    assert not BankStatement.objects.exists() and not StatementLine.objects.exists()


def test_the_queue_page_assigns_with_a_reason(bank, client):
    statement = imported(bank)
    line = statement.lines.get(bank_reference="BANKREF-0002")
    client.force_login(bank.manager)
    assert "BORROWER BEA" in client.get("/bank/queue/").content.decode()

    client.post(f"/bank/lines/{line.pk}/assign/", {"loan": bank.loan.pk, "note": "Typo in the OCR"})

    line = StatementLine.objects.get(pk=line.pk)
    assert line.status == LineStatus.ASSIGNED
    assert "Typo in the OCR" in client.get("/bank/queue/").content.decode()


def test_a_manager_of_another_programme_gets_404_on_its_objects(bank, client, other_manager):
    statement = imported(bank)
    line = statement.lines.get(bank_reference="BANKREF-0003")
    client.force_login(other_manager)

    assert client.get(f"/bank/statements/{statement.pk}/").status_code == 404
    assert client.post(f"/bank/lines/{line.pk}/reject/", {"note": "not mine"}).status_code == 404
    assert client.post(f"/bank/lines/{line.pk}/assign/", {"loan": bank.loan.pk, "note": "x"}).status_code == 404
    assert client.post(f"/bank/payouts/{bank.loan.pk}/account/", {"holder_name": "x", "iban": "x"}).status_code == 404
    assert "BANKREF" not in client.get("/bank/queue/").content.decode()
    assert "STMT-2026-02-15" not in client.get("/bank/statements/").content.decode()
    assert StatementLine.objects.get(pk=line.pk).status == LineStatus.WAITING


@pytest.mark.parametrize("role", ["lead", "adviser", "committee", "admin"])
def test_staff_who_are_not_managers_get_403(bank, client, role):
    statement = imported(bank)
    client.force_login(getattr(bank, role))

    for url in ("/bank/statements/", f"/bank/statements/{statement.pk}/", "/bank/queue/", "/bank/payouts/"):
        assert client.get(url).status_code == 403, url


def test_the_list_pages_have_a_constant_number_of_queries(bank, client):
    client.force_login(bank.manager)
    first = imported(bank)
    pages = ["/bank/statements/", "/bank/queue/", f"/bank/statements/{first.pk}/", "/bank/payouts/"]
    services.line_reject(by=bank.manager, line_id=first.lines.get(bank_reference="BANKREF-0003").pk, note="not ours")
    before = {url: queries(client, url) for url in pages}

    for n in range(3):
        statement = another_statement(bank, n)
        for line in statement.lines.filter(status=LineStatus.WAITING)[:1]:
            services.line_reject(by=bank.manager, line_id=line.pk, note="not ours")

    after = {url: queries(client, url) for url in pages}
    assert after == before
    assert StatementLine.objects.filter(status=LineStatus.WAITING).count() > 3


def test_the_ledger_export_downloads_sie_and_csv(bank, client):
    imported(bank)
    client.force_login(bank.manager)
    query = {"programme": bank.programme.pk, "start": "2026-01-01", "end": "2026-12-31"}

    sie = client.get("/bank/ledger-export/", {**query, "format": "sie"})
    csv_response = client.get("/bank/ledger-export/", {**query, "format": "csv"})
    refused = client.get("/bank/ledger-export/", {**query, "end": "2027-02-01", "format": "sie"})

    assert sie.status_code == 200 and sie["Content-Disposition"].endswith('.se"')
    assert sie.content.decode("cp437").startswith("#FLAGGA 0\r\n")
    assert csv_response.status_code == 200 and b"series,voucher,date" in csv_response.content
    assert refused.status_code == 200 and "one fiscal year" in refused.content.decode()
    assert LedgerEntry.objects.filter(value_date=date(2026, 2, 15)).exists()


def test_the_manager_records_a_payout_account_makes_the_file_and_downloads_it(client):
    from datetime import timedelta

    from django.utils import timezone

    from banking.models import BankAccount, PaymentFile, PayoutAccount
    from loans import services as loan_services
    from tests.loans.lending_world import approved_loan, lending_world

    world = lending_world()
    BankAccount.objects.create(programme=world.programme, holder_name="Neem", iban="SE4550000000058398257466")
    loan = approved_loan(world)
    loan_services.agreement_accept(by=world.borrower_user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=b"%")
    client.force_login(world.manager)

    bad = client.post(f"/bank/payouts/{loan.pk}/account/", {"holder_name": "Bea", "iban": "SE00 1234"}, follow=True)
    assert "not a valid IBAN" in bad.content.decode() and not PayoutAccount.objects.exists()
    client.post(
        f"/bank/payouts/{loan.pk}/account/", {"holder_name": "Bea Borrower", "iban": "SE3550000000054910000003"}
    )
    page = client.get("/bank/payouts/").content.decode()
    assert "SE3550000000054910000003" in page
    pay_on = (timezone.localdate() + timedelta(days=2)).isoformat()
    client.post("/bank/payouts/", {"programme": world.programme.pk, "execution_date": pay_on, "loans": [loan.pk]})

    payment_file = PaymentFile.objects.get()
    download = client.get(f"/bank/payment-files/{payment_file.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{payment_file.message_id}.xml"'
    assert b"<EndToEndId>" + payment_file.orders.get().end_to_end_id.encode() + b"</EndToEndId>" in download.content
    assert f"<ReqdExctnDt><Dt>{pay_on}</Dt></ReqdExctnDt>".encode() in download.content
