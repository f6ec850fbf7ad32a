"""Reads of the privacy app, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet

from neem import access

from .models import AccessLog, ConsentRecord, ConsentText


def access_log_for(user, programme_id: int | None = None) -> QuerySet[AccessLog]:
    """The access log of the programmes the user manages (empty for everyone else)."""
    programmes = access.scope_of(user).manager_programmes
    if programme_id is not None:
        programmes = programmes & {programme_id}
    return (
        AccessLog.objects.filter(programme_id__in=programmes)
        .select_related("user", "participant", "case")
        .order_by("-at", "-id")
    )


def consents_of(participant) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(participant=participant).select_related("text", "recorded_by", "withdrawn_by")


def consent_texts_for(case) -> QuerySet[ConsentText]:
    """The newest version of each purpose and language of the case's programme."""
    texts = ConsentText.objects.filter(programme_id=case.programme_id).order_by(
        "purpose", "language", "-published_on", "-id"
    )
    newest, seen = [], set()
    for text in texts:
        if (text.purpose, text.language) not in seen:
            seen.add((text.purpose, text.language))
            newest.append(text.pk)
    return ConsentText.objects.filter(pk__in=newest).order_by("purpose", "language")
