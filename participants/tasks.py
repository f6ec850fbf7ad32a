"""Background tasks (django-tasks API, run by `manage.py db_worker`). They only send messages.

Each reminder claims its ReminderLog row (unique kind + key + channel) in the same transaction as the
send, so a task that runs twice — a re-queued stale task, a second daily run — sends once.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import CheckIn, ReminderLog
from .services import send_localized_mail
from .sms import send_sms

logger = logging.getLogger(__name__)


def _claim_and_send(*, kind: str, key: str, channel: str, to: str, case_id: int | None, send) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, key=key, channel=channel, recipient=to, case_id=case_id)
            send()  # an exception rolls the claim back, so a retry can send
    except IntegrityError:
        logger.info("Reminder %s %s %s was already sent", kind, key, channel)
        return False
    return True


@task()
def send_reminder(
    kind: str, key: str, channel: str, to: str, language: str, context: dict, case_id: int | None = None
) -> bool:
    """Send one reminder on one channel, once."""

    def send() -> None:
        if channel == ReminderLog.Channel.SMS:
            with translation.override(language):
                text = " ".join(render_to_string(f"participants/sms/{kind}.txt", context).split())
            send_sms(to, text)
        else:
            send_localized_mail(to=to, language=language, template=kind, context=context)

    return _claim_and_send(kind=kind, key=key, channel=channel, to=to, case_id=case_id, send=send)


@task()
def send_check_in(check_in_id: int) -> bool:
    """E-mail the one-time link to the check-in form."""
    from django.urls import reverse

    from .checkins import make_token
    from .services import base_url

    check_in = CheckIn.objects.select_related("case__participant__user", "case__programme").get(pk=check_in_id)
    participant = check_in.case.participant
    to = participant.user.email if participant.user_id else participant.email
    if not to or check_in.answered_at:
        return False
    context = {
        "participant": participant,
        "months": check_in.months,
        "programme": check_in.case.programme.name,
        "link": base_url() + reverse("participants:check_in", args=[make_token(check_in)]),
    }

    def send() -> None:
        send_localized_mail(to=to, language=participant.preferred_language, template="check_in", context=context)
        CheckIn.objects.filter(pk=check_in.pk, sent_at__isnull=True).update(sent_at=timezone.now())

    return _claim_and_send(
        kind=ReminderLog.Kind.CHECK_IN,
        key=f"check_in:{check_in.pk}",
        channel=ReminderLog.Channel.EMAIL,
        to=to,
        case_id=check_in.case_id,
        send=send,
    )
