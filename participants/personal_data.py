"""What her own pages hold: documents, messages, reminders sent, check-ins (see privacy.registry)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.erasure import ERASED, rows, scrub_model, set_model
from privacy.registry import register_eraser, register_exporter

from .models import CheckIn, Document, Message, ReminderLog, ReminderPreference


def export(participant, cases):
    case_ids = [c.pk for c in cases]
    preference = ReminderPreference.objects.filter(participant=participant).first()
    return {
        # The list only: the files themselves she downloads from her documents page, or staff hand them over.
        "documents": rows(
            Document.objects.filter(case_id__in=case_ids), "kind", "original_name", "content_type", "size", "created_at"
        ),
        "messages": rows(
            Message.objects.filter(case_id__in=case_ids).order_by("created_at"),
            "created_at",
            "from_participant",
            "text",
            "read_at",
        ),
        "reminders_sent": rows(
            ReminderLog.objects.filter(_reminders_of(participant, case_ids)), "kind", "channel", "recipient", "sent_at"
        ),
        "reminder_preference": {"email": preference.email, "sms": preference.sms} if preference else None,
        "check_ins": rows(
            CheckIn.objects.filter(case_id__in=case_ids),
            "months",
            "sent_at",
            "answered_at",
            "company_running",
            "employed",
            "studying",
            "other",
        ),
    }


def _reminders_of(participant, case_ids) -> Q:
    recipients = {r for r in (participant.email, participant.phone) if r}
    if participant.user_id:
        recipients.add(participant.user.email)
    return Q(case_id__in=case_ids) | Q(recipient__in=recipients)


def erase(context) -> int:
    """Files deleted from storage (after commit), messages and check-in answers blanked, reminder logs keep their
    key (so nothing is sent twice) but not her address."""
    from django.db import transaction

    documents = list(Document.objects.filter(case_id__in=context.case_ids))
    files = [(d.file.storage, d.file.name) for d in documents if d.file]
    changed = Document.objects.filter(pk__in=[d.pk for d in documents]).delete()[0]

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    # The rows go with the transaction; the files once it has committed (a rollback keeps both).
    transaction.on_commit(delete_files)
    changed += set_model(context, Message, text=ERASED)
    changed += ReminderLog.objects.filter(_reminders_of(context.participant, context.case_ids)).update(recipient=ERASED)
    changed += set_model(context, CheckIn, other="")
    changed += scrub_model(context, CheckIn)
    return changed


register_exporter("participants", export, title=_("Documents, messages and reminders"), order=80)
register_eraser("participants", erase)
