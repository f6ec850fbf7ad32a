"""Documents on a case: who may upload, open and delete them, what is refused, and how they are served."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from coaching.models import CaseEvent, CaseFile
from participants.models import Document
from participants.services import document_upload

from .conftest import PDF, PNG, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def her_upload(world, **kwargs) -> Document:
    return document_upload(by=world.participant, case=world.case, upload=upload(**kwargs), kind="quote")


def test_participant_uploads_to_her_case_and_sees_it(world, client_for):
    client = client_for(world.participant)

    response = client.post(
        reverse("participants:my_documents", args=[world.case.pk]), {"kind": "id", "file": upload("pass.pdf")}
    )

    assert response.status_code == 302
    document = Document.objects.get(case=world.case)
    assert (document.original_name, document.content_type, document.size) == ("pass.pdf", "application/pdf", len(PDF))
    assert len(document.sha256) == 64
    assert not document.file.name.endswith("pass.pdf"), "the stored name never comes from the upload"
    page = client.get(reverse("participants:my_documents", args=[world.case.pk])).content.decode()
    assert "pass.pdf" in page
    assert CaseEvent.objects.filter(case=world.case, data__event="document_added").exists()


def test_document_is_stored_in_the_private_storage_not_media(world):
    document = her_upload(world)

    assert document.file.storage is storages["private"]
    assert storages["private"].exists(document.file.name)
    assert not storages["default"].exists(document.file.name)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.html", b"<html><script>alert(1)</script></html>", "This kind of file cannot be uploaded"),
        ("invoice.exe", b"MZ\x90\x00" + b"\x00" * 100, "This kind of file cannot be uploaded"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "does not match its name"),
        ("photo.pdf", PNG, "does not match its name"),
        ("empty.pdf", b"", "file is empty"),
    ],
)
def test_upload_refusals_say_why_next_to_the_field(world, client_for, name, content, message):
    response = client_for(world.participant).post(
        reverse("participants:my_documents", args=[world.case.pk]), {"kind": "quote", "file": upload(name, content)}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'class="field field-error"' in body
    assert not Document.objects.exists()


def test_a_png_named_png_is_accepted(world):
    assert her_upload(world, name="receipt.PNG", content=PNG).content_type == "image/png"


def test_upload_over_10_mb_is_refused(world, client_for):
    big = PDF + b"0" * (10 * MB)

    response = client_for(world.participant).post(
        reverse("participants:my_documents", args=[world.case.pk]), {"kind": "quote", "file": upload("big.pdf", big)}
    )

    assert "The file is too large" in response.content.decode()
    assert "The limit is 10 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_served_file_is_an_attachment_with_safe_headers(world, client_for):
    document = her_upload(world, name='quote "final".pdf')

    response = client_for(world.participant).get(reverse("participants:document_download", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("adviser", 200),
        ("colleague", 200),
        ("lead", 200),
        ("manager", 200),
        ("other_participant", 404),
        ("other_adviser", 404),
        ("committee", 404),
    ],
)
def test_only_she_and_readers_of_her_case_open_a_document_by_direct_url(world, client_for, who, status):
    document = her_upload(world)

    response = client_for(getattr(world, who)).get(reverse("participants:document_download", args=[document.pk]))

    assert response.status_code == status


def test_other_participant_cannot_list_or_upload_to_her_case(world, client_for):
    client = client_for(world.other_participant)
    url = reverse("participants:my_documents", args=[world.case.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "quote", "file": upload()}).status_code == 404
    assert not Document.objects.exists()


def test_adviser_uploads_from_the_case_page_and_colleague_may_not(world, client_for):
    url = reverse("participants:case_document", args=[world.case.pk])

    assert client_for(world.colleague).post(url, {"kind": "contract", "file": upload()}).status_code == 403
    assert client_for(world.other_adviser).post(url, {"kind": "contract", "file": upload()}).status_code == 404
    assert client_for(world.adviser).post(url, {"kind": "contract", "file": upload()}).status_code == 302

    document = Document.objects.get()
    assert document.uploaded_by == world.adviser
    page = client_for(world.participant).get(reverse("participants:my_documents", args=[world.case.pk]))
    assert document.original_name in page.content.decode()


def test_delete_rules(world, client_for):
    document = her_upload(world)
    url = reverse("participants:document_delete", args=[document.pk])

    assert client_for(world.other_adviser).post(url).status_code == 404
    assert client_for(world.colleague).post(url).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
    assert client_for(world.adviser).post(url).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_documents_and_files_go_with_the_case(world, django_capture_on_commit_callbacks):
    document = her_upload(world)
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        CaseFile.objects.filter(pk=world.case.pk).delete()

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storages["private"].exists(name)


def office_file(*names: str, first: tuple[str, str] | None = None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("plan.docx", office_file("[Content_Types].xml", "word/document.xml"), "wordprocessingml"),
        ("budget.xlsx", office_file("[Content_Types].xml", "xl/workbook.xml"), "spreadsheetml"),
        (
            "letter.odt",
            office_file("content.xml", first=("mimetype", "application/vnd.oasis.opendocument.text")),
            "opendocument.text",
        ),
    ],
)
def test_office_documents_are_accepted_by_their_content(world, name, content, mime):
    assert mime in her_upload(world, name=name, content=content).content_type


def test_a_zip_renamed_docx_is_refused(world, client_for):
    response = client_for(world.participant).post(
        reverse("participants:my_documents", args=[world.case.pk]),
        {"kind": "quote", "file": upload("archive.docx", office_file("readme.txt"))},
    )

    assert "does not match its name" in response.content.decode()


def test_she_deletes_what_she_uploaded_but_not_the_advisers_documents(world, client_for):
    mine = her_upload(world)
    theirs = document_upload(by=world.adviser, case=world.case, upload=upload("contract.pdf"), kind="contract")
    client = client_for(world.participant)

    assert client.post(reverse("participants:document_delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("participants:document_delete", args=[mine.pk])).status_code == 302
    assert list(Document.objects.values_list("pk", flat=True)) == [theirs.pk]
