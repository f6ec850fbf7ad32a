"""The participants' part of the daily run: decide which reminders and check-ins are due on `as_of`.

It enqueues tasks and writes nothing but check-in rows; the tasks send. Run twice for the same day, it
enqueues nothing new (keys already in ReminderLog are skipped, and the tasks' unique claim backs that up).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from coaching.models import CaseFile, ModuleProgress, Session, Stage

from .models import CheckIn, ReminderLog, ReminderPreference
from .services import base_url

STALE_AFTER = timedelta(hours=1)
DUE_SOON_DAYS = 3
OVERDUE_REMIND_WITHIN_DAYS = 30
CHECK_IN_MONTHS = (6, 12)


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str
    channel: str
    to: str
    language: str
    context: dict
    case_id: int | None


def requeue_stale_tasks(now: datetime | None = None) -> int:
    """A worker killed mid-task leaves it RUNNING for ever: put tasks running for over an hour back in line."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=TaskResultStatus.READY, started_at=None
    )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _participant_channels(case: CaseFile, preferences: dict[int, ReminderPreference]) -> list[tuple[str, str]]:
    participant = case.participant
    preference = preferences.get(participant.pk) or ReminderPreference(participant=participant)
    channels = []
    email = participant.user.email if participant.user_id else participant.email
    if preference.email and email:
        channels.append((ReminderLog.Channel.EMAIL, email))
    if preference.sms and participant.phone:
        channels.append((ReminderLog.Channel.SMS, participant.phone))
    return channels


def _for_participant(kind, key, case, preferences, context) -> list[Reminder]:
    link = base_url() + reverse("coaching:my_page")
    return [
        Reminder(
            kind=kind,
            key=key,
            channel=channel,
            to=to,
            language=case.participant.preferred_language,
            context={"name": case.participant.first_name, "link": link, **context},
            case_id=case.pk,
        )
        for channel, to in _participant_channels(case, preferences)
    ]


def instalment_reminders(as_of: date, preferences) -> list[Reminder]:
    from loans.models import Loan, LoanStatus
    from loans.services import loan_position

    reminders = []
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE).select_related("case__participant__user")
    for loan in loans:
        for instalment in loan_position(loan, as_of).instalments:
            if instalment.is_paid:
                continue
            context = {
                "amount": str(instalment.total_outstanding),
                "currency": loan.currency,
                "due_date": instalment.due_date.isoformat(),
                "reference": loan.payment_reference_display,
            }
            key = f"instalment:{instalment.id}:{instalment.due_date.isoformat()}"
            days = (instalment.due_date - as_of).days
            if 0 < days <= DUE_SOON_DAYS:
                kind = ReminderLog.Kind.INSTALMENT_DUE
            elif -OVERDUE_REMIND_WITHIN_DAYS <= days < 0:
                kind = ReminderLog.Kind.INSTALMENT_OVERDUE
            else:
                continue
            reminders += _for_participant(kind, key, loan.case, preferences, context)
    return reminders


def session_reminders(as_of: date, preferences) -> list[Reminder]:
    tz = timezone.get_current_timezone()
    tomorrow = as_of + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=tz)
    sessions = (
        Session.objects.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .prefetch_related("cohort__members__case__participant__user")
        .select_related("case__participant__user")
    )
    reminders = []
    for session in sessions:
        if session.kind == Session.Kind.INDIVIDUAL and session.case:
            cases = [session.case]
        elif session.cohort:
            cases = [m.case for m in session.cohort.members.all()]
        else:
            cases = []
        local = timezone.localtime(session.starts_at)
        context = {
            "topic": session.topic,
            "time": local.strftime("%H:%M"),
            "day": local.date().isoformat(),
            "place": session.place or session.video_url,
        }
        for case in cases:
            if case.state in (Stage.CLOSED, Stage.WITHDRAWN):
                continue
            key = f"session:{session.pk}:case:{case.pk}:{local.date().isoformat()}"
            reminders += _for_participant(ReminderLog.Kind.SESSION_TOMORROW, key, case, preferences, context)
    return reminders


def module_reminders(as_of: date) -> list[Reminder]:
    """To the adviser: a module whose checklist is all ticked and still waits for her sign-off."""
    waiting = (
        ModuleProgress.objects.filter(status=ModuleProgress.Status.OPEN, case__adviser__isnull=False)
        .annotate(items=Count("module__items", distinct=True), ticked=Count("checks", distinct=True))
        .filter(items__gt=0, ticked__gte=F("items"))
        .select_related("case__adviser", "case__participant", "module")
    )
    reminders = []
    for progress in waiting:
        adviser = progress.case.adviser
        if not adviser.is_active or not adviser.email:
            continue
        reminders.append(
            Reminder(
                kind=ReminderLog.Kind.MODULE_SIGN_OFF,
                key=f"module:{progress.pk}:adviser:{adviser.pk}",
                channel=ReminderLog.Channel.EMAIL,
                to=adviser.email,
                language=adviser.language,
                context={
                    "name": adviser.first_name,
                    "participant": progress.case.participant.full_name,
                    "module": progress.module.display_title,
                    "link": base_url() + reverse("coaching:module_detail", args=[progress.case_id, progress.pk]),
                },
                case_id=progress.case_id,
            )
        )
    return reminders


def due_check_ins(as_of: date) -> list[CheckIn]:
    """Create the 6- and 12-month check-ins that are due (once per case and round)."""
    created = []
    closed = CaseFile.objects.filter(state=Stage.CLOSED, closed_at__isnull=False).only("pk", "closed_at")
    for case in closed:
        closed_on = timezone.localdate(case.closed_at)
        for months, next_months in zip(CHECK_IN_MONTHS, (*CHECK_IN_MONTHS[1:], None), strict=True):
            due = add_months(closed_on, months)
            # Only the round that is current: a case found late gets the 12-month one, not both.
            until = add_months(closed_on, next_months) if next_months else add_months(closed_on, months + 6)
            if due <= as_of < until:
                check_in, was_created = CheckIn.objects.get_or_create(case=case, months=months)
                if was_created or check_in.sent_at is None:
                    created.append(check_in)
    return created


def daily(as_of: date) -> dict:
    from .tasks import send_check_in, send_reminder

    requeued = requeue_stale_tasks()
    preferences = {p.participant_id: p for p in ReminderPreference.objects.all()}
    reminders = (
        instalment_reminders(as_of, preferences) + session_reminders(as_of, preferences) + module_reminders(as_of)
    )
    sent = set(ReminderLog.objects.filter(key__in=[r.key for r in reminders]).values_list("kind", "key", "channel"))
    enqueued = 0
    for reminder in reminders:
        if (reminder.kind, reminder.key, reminder.channel) in sent:
            continue
        send_reminder.enqueue(
            kind=reminder.kind,
            key=reminder.key,
            channel=reminder.channel,
            to=reminder.to,
            language=reminder.language,
            context=reminder.context,
            case_id=reminder.case_id,
        )
        enqueued += 1
    check_ins = due_check_ins(as_of)
    already = set(
        ReminderLog.objects.filter(
            kind=ReminderLog.Kind.CHECK_IN, key__in=[f"check_in:{c.pk}" for c in check_ins]
        ).values_list("key", flat=True)
    )
    for check_in in check_ins:
        if f"check_in:{check_in.pk}" not in already:
            send_check_in.enqueue(check_in.pk)
            enqueued += 1
    return {"reminders and check-ins queued": enqueued, "stale tasks re-queued": requeued}
