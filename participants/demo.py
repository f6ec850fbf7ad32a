"""Demo data for the participant's pages: a thread, a document and reminder choices. Safe to run twice."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.models import CaseFile

from .models import Document, Message, ReminderPreference
from .services import document_upload

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(*, programme) -> None:
    case = (
        CaseFile.objects.filter(programme=programme, participant__user__email="participant@example.com")
        .select_related("participant__user", "adviser")
        .first()
    )
    if case is None:
        return
    participant_user = case.participant.user
    if not Message.objects.filter(case=case).exists():
        Message.objects.create(
            case=case,
            author=participant_user,
            from_participant=True,
            text="Hej! Can we look at my budget together next week?",
        )
        Message.objects.create(
            case=case,
            author=case.adviser,
            from_participant=False,
            text="Of course. Tuesday at 10 works for me. Bring the quote for the oven.",
        )
    if not Document.objects.filter(case=case).exists():
        upload = SimpleUploadedFile("quote-oven.pdf", DEMO_PDF, content_type="application/pdf")
        document_upload(by=participant_user, case=case, upload=upload, kind=Document.Kind.QUOTE)
    ReminderPreference.objects.get_or_create(participant=case.participant, defaults={"email": True, "sms": True})
