"""Personal data the framework holds about a participant: her login, the admin log, queued tasks; and this
app's own consents and access log. Registered like any app's part."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .erasure import ErasureContext
from .registry import register_eraser, register_exporter


def export_account(participant, cases):
    user = participant.user
    if user is None:
        return None
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "name": user.get_full_name(),
        "joined": user.date_joined,
        "last_login": user.last_login,
        "active": user.is_active,
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "two_factor": list(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def erase_account(context: ErasureContext) -> int:
    if context.user_id is None:
        return 0
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from neem.models import AuditEvent

    rows = EmailAddress.objects.filter(user_id=context.user_id).delete()[0]
    rows += Authenticator.objects.filter(user_id=context.user_id).delete()[0]
    rows += context.scrub_rows(AuditEvent.objects.filter(subject_id=context.user_id), ["data"])
    User = get_user_model()
    rows += User._base_manager.filter(pk=context.user_id).update(
        email=f"{context.pseudonym.lower()}@erased.invalid",
        first_name="",
        last_name="",
        is_active=False,
        password=make_password(None),
    )
    return rows


def erase_admin_log(context: ErasureContext) -> int:
    from django.contrib.admin.models import LogEntry

    return context.scrub_rows(LogEntry.objects.all(), ["object_repr", "change_message"])


def erase_tasks(context: ErasureContext) -> int:
    """Queued and finished tasks keep their arguments (e-mail addresses, phone numbers, names for the text)."""
    from django_tasks_db.models import DBTaskResult

    return context.scrub_rows(DBTaskResult.objects.all(), ["args_kwargs", "return_value", "traceback"])


def export_consents(participant, cases):
    from .models import ConsentRecord

    return [
        {
            "purpose": record.get_purpose_display(),
            "text_version": record.text.version,
            "language": record.text.language,
            "text": record.text.text,
            "given_at": record.given_at,
            "withdrawn_at": record.withdrawn_at,
        }
        for record in ConsentRecord.objects.filter(
            participant=participant, text__programme__in=[c.programme_id for c in cases]
        ).select_related("text")
    ]


def export_access_log(participant, cases):
    from .models import AccessLog

    return [
        {"at": entry.at, "who": str(entry.user or ""), "what": entry.get_action_display(), "detail": entry.detail}
        for entry in AccessLog.objects.filter(
            participant=participant, programme__in=[c.programme_id for c in cases]
        ).select_related("user")[:500]
    ]


def erase_own(context: ErasureContext) -> int:
    from .models import AccessLog

    return context.scrub_rows(AccessLog.objects.filter(participant=context.participant), ["detail"])


register_exporter("account", export_account, title=_("Her login"), order=15)
register_exporter("consents", export_consents, title=_("Consents"), order=20)
register_exporter("access_log", export_access_log, title=_("Who opened or exported her data"), order=990)
register_eraser("account", erase_account)
register_eraser("admin_log", erase_admin_log)
register_eraser("tasks", erase_tasks)
register_eraser("privacy", erase_own)
