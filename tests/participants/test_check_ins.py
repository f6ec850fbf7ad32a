"""Check-ins 6 and 12 months after the programme: a one-time link, no login, answers on the timeline."""

from __future__ import annotations

import re
import time as time_module
from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coaching.models import CaseEvent, CaseFile, Stage
from participants.checkins import make_token
from participants.jobs import add_months
from participants.models import CheckIn
from participants.selectors import check_in_counts

pytestmark = pytest.mark.django_db
CLOSED_ON = date(2026, 1, 10)


@pytest.fixture
def closed_case(world):
    closed_at = timezone.make_aware(datetime(2026, 1, 10, 12, 0))
    CaseFile.objects.filter(pk=world.case.pk).update(state=Stage.CLOSED, closed_at=closed_at, outcome="company_started")
    return CaseFile.objects.get(pk=world.case.pk)


def daily(day) -> None:
    call_command("daily", as_of=day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115


def link_path() -> str:
    return re.search(r"http://testserver(/check-in/\S+/)", mail.outbox[-1].body).group(1)


def test_six_months_after_closing_she_gets_one_link(closed_case):
    daily(date(2026, 7, 9))
    assert not mail.outbox

    daily(date(2026, 7, 10))
    daily(date(2026, 7, 11))

    assert len(mail.outbox) == 1
    assert CheckIn.objects.get(case=closed_case).months == 6
    assert CheckIn.objects.get().sent_at is not None


def test_a_case_found_late_gets_only_the_12_month_check_in(closed_case):
    daily(date(2027, 2, 1))

    assert list(CheckIn.objects.values_list("months", flat=True)) == [12]


def test_the_link_works_once_without_login(closed_case, client):
    daily(date(2026, 7, 10))
    url = link_path()

    assert client.get(url).status_code == 200
    response = client.post(url, {"company_running": "yes", "employed": "no", "studying": "no", "other": "Two staff"})

    assert response.status_code == 200
    check_in = CheckIn.objects.get()
    assert (check_in.company_running, check_in.employed, check_in.studying) == (True, False, False)
    event = CaseEvent.objects.get(case=closed_case, data__event="check_in")
    assert "Two staff" in event.note
    again = client.get(url)
    assert again.status_code == 410
    assert "already answered" in again.content.decode()


def test_an_expired_link_is_refused(closed_case, client, monkeypatch):
    check_in = CheckIn.objects.create(case=closed_case, months=6, sent_at=timezone.now())
    long_ago = time_module.time() - 61 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(time_module, "time", lambda: long_ago)
        token = make_token(check_in)

    response = client.get(f"/check-in/{token}/")

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_forged_link_is_404(closed_case, client):
    assert client.get("/check-in/not-a-token/").status_code == 404


def test_counts_for_the_funder_reports(closed_case, client):
    daily(date(2026, 7, 10))
    assert check_in_counts(programme_id=closed_case.programme_id) == {"sent": 1, "answered": 0, "not_answered": 1}

    client.post(link_path(), {"company_running": "no", "employed": "yes", "studying": "no"})

    assert check_in_counts(programme_id=closed_case.programme_id, months=6) == {
        "sent": 1,
        "answered": 1,
        "not_answered": 0,
    }


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (CLOSED_ON, 12, date(2027, 1, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
