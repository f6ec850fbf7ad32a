"""Reminders: decided by the daily run for its --as-of day, sent by a task, once, on the channels she chose."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from coaching import curriculum_services
from coaching.models import ItemCheck, Session
from participants import sms
from participants.jobs import requeue_stale_tasks
from participants.models import ReminderLog, ReminderPreference
from participants.tasks import send_reminder
from tests.coaching.curriculum_fixtures import publish_curriculum

from .conftest import with_loan

pytestmark = pytest.mark.django_db


def daily(day) -> None:
    call_command("daily", as_of=day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115


def first_due(loan):
    return loan.instalments.filter(active=True).order_by("due_date").first().due_date


def test_instalment_due_in_3_days_is_sent_once_by_e_mail_and_sms_even_if_the_job_runs_twice(world):
    loan = with_loan(world)
    day = first_due(loan) - timedelta(days=3)

    daily(day)
    daily(day)

    assert [m.to for m in mail.outbox] == [[world.participant.email]]
    assert first_due(loan) == date(2026, 2, 15)
    assert "15 februari 2026" in mail.outbox[0].body  # the date as Swedish writes it, her language by default
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == world.case.participant.phone
    assert set(ReminderLog.objects.values_list("kind", "channel")) == {
        ("instalment_due", "email"),
        ("instalment_due", "sms"),
    }


def test_a_task_that_runs_twice_sends_once():
    arguments = {
        "kind": "instalment_due",
        "key": "instalment:1:2026-02-15",
        "channel": "email",
        "to": "amal@example.net",
        "language": "sv",
        "context": {"name": "Amal", "amount": "1000", "currency": "SEK", "due_date": "2026-02-15", "link": "x"},
    }

    first = send_reminder.call(**arguments)
    second = send_reminder.call(**arguments)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_overdue_instalment_reminder(world):
    loan = with_loan(world)

    daily(first_due(loan) + timedelta(days=2))

    assert ReminderLog.objects.filter(kind="instalment_overdue", channel="email").count() == 1
    body = mail.outbox[0].body
    assert "15 februari 2026" in body  # in her language (Swedish by default): the date she missed
    assert "/my/" in body


def test_she_turns_reminders_off(world):
    loan = with_loan(world)
    ReminderPreference.objects.create(participant=world.case.participant, email=False, sms=False)

    daily(first_due(loan) - timedelta(days=3))

    assert not mail.outbox
    assert not sms.outbox


def test_sms_only(world):
    loan = with_loan(world)
    ReminderPreference.objects.create(participant=world.case.participant, email=False, sms=True)

    daily(first_due(loan) - timedelta(days=3))

    assert not mail.outbox
    assert len(sms.outbox) == 1


def test_session_tomorrow(world):
    day = timezone.localdate() + timedelta(days=5)
    starts = datetime.combine(day + timedelta(days=1), time(10, 0), tzinfo=timezone.get_current_timezone())
    Session.objects.create(
        region=world.north,
        kind="individual",
        case=world.case,
        starts_at=starts,
        place="Room 2",
        topic="Budget talk",
        adviser=world.adviser,
    )

    daily(day)
    daily(day)

    assert len(mail.outbox) == 1
    assert "Budget talk" in mail.outbox[0].subject
    assert "10:00" in sms.outbox[0].text


def test_module_waiting_for_sign_off_reminds_the_adviser(world):
    publish_curriculum(world.programme)
    first = curriculum_services.curriculum_start(case=world.case, by=world.adviser)[0]
    for item in first.module.items.all():
        ItemCheck.objects.create(progress=first, item=item, checked_by=world.adviser)

    daily(timezone.localdate())
    daily(timezone.localdate())

    (notice,) = mail.outbox
    assert notice.to == [world.adviser.email]
    assert "Business idea" in notice.subject
    assert not sms.outbox


def test_stale_running_tasks_are_put_back_in_line():
    from django_tasks_db.models import DBTaskResult

    def task_row(started_minutes_ago: int) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status="RUNNING",
            started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="participants.tasks.send_check_in",
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )

    stale, fresh = task_row(90), task_row(10)

    assert requeue_stale_tasks() == 1
    assert DBTaskResult.objects.get(pk=stale.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"


# --- SMS through the HTTP gateway, against a fake one on a free local port ---------------------------


class FakeGateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        FakeGateway.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": json.loads(self.rfile.read(length))}
        )
        self.send_response(FakeGateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    FakeGateway.received = []
    FakeGateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        SMS_BACKEND="participants.sms.HttpGatewayBackend",
        SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send",
        SMS_GATEWAY_TOKEN="test-token",
    ):
        yield FakeGateway
    server.shutdown()
    server.server_close()


def test_sms_goes_through_the_http_gateway(world, gateway):
    loan = with_loan(world)
    ReminderPreference.objects.create(participant=world.case.participant, email=False, sms=True)

    daily(first_due(loan) - timedelta(days=3))

    (request,) = gateway.received
    assert request["path"] == "/send"
    assert request["auth"] == "Bearer test-token"
    assert request["body"]["to"] == world.case.participant.phone
    assert "15 februari 2026" in request["body"]["text"]
    assert ReminderLog.objects.filter(channel="sms").count() == 1


def test_a_gateway_error_leaves_the_reminder_unsent_so_the_next_run_retries(world, gateway):
    loan = with_loan(world)
    ReminderPreference.objects.create(participant=world.case.participant, email=False, sms=True)
    day = first_due(loan) - timedelta(days=3)
    gateway.status = 500

    daily(day)

    assert len(gateway.received) == 1
    assert not ReminderLog.objects.exists()
    gateway.status = 200
    daily(day)
    assert len(gateway.received) == 2
    assert ReminderLog.objects.filter(channel="sms").count() == 1
