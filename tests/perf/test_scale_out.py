"""Beyond one machine: two gunicorn app servers share one PostgreSQL and one Redis, and nothing else.

Logged in on one, she goes on on the other with the same session cookie; a rate limit counts across both;
the same repayment posted through both at once is applied once; two task workers over one queue run each
job once. PostgreSQL and Redis only (skipped elsewhere).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from urllib.parse import urlparse

import pytest
import requests
from django.conf import settings
from django.db import connection

from loans import services
from loans.models import LedgerEntry
from perf.models import TaskRun
from tests.loans.lending_world import active_loan, lending_world

REDIS_URL = os.environ.get("NEEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis_up() -> bool:
    address = urlparse(REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several servers share PostgreSQL"),
    pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL}"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    s = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neem.settings.test",
        "DATABASE_URL": f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        "CACHE_URL": REDIS_URL,
    }


@contextmanager
def app_server():
    """A gunicorn of its own (2 workers) on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "neem.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{base}/accounts/login/", timeout=20)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_app_servers_share_sessions_rate_limits_and_post_a_repayment_once():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    world = lending_world()
    loan = active_loan(world, on=date(2026, 1, 15))
    owed_before = services.ledger_balance(loan)["owed"]

    with app_server() as first, app_server() as second:
        # Logged in on the first server...
        browser = requests.Session()
        token = csrf_token(browser, f"{first}/accounts/login/")
        login = browser.post(
            f"{first}/accounts/login/",
            data={"login": world.lead.email, "password": "pw-123456789", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{first}/accounts/login/"},
            allow_redirects=False,
            timeout=10,
        )
        assert login.status_code == 302, login.text[:500]
        cookie = browser.cookies["sessionid"]

        # ...she goes on on the second with the same cookie (sessions live in the shared database).
        other = requests.Session()
        other.cookies.set("sessionid", cookie)
        page = other.get(f"{second}/loans/{loan.pk}/", allow_redirects=False, timeout=10)
        assert page.status_code == 200
        assert "csrfmiddlewaretoken" in page.text
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

        # The same bank payment posted through both servers at once is applied once.
        payment = {
            "amount": "500.00",
            "on": "2026-02-15",
            "method": "bank transfer",
            "reference": "BANK-2026-0042",
            "csrfmiddlewaretoken": form_token,
        }
        barrier = threading.Barrier(2)
        answers = []

        def post(base, session):
            barrier.wait()
            answers.append(
                session.post(
                    f"{base}/loans/{loan.pk}/repay/",
                    data=payment,
                    headers={"Referer": f"{base}/loans/{loan.pk}/"},
                    allow_redirects=False,
                    timeout=30,
                ).status_code
            )

        threads = [threading.Thread(target=post, args=(base, other)) for base in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [302, 302]
        assert LedgerEntry.objects.filter(external_reference="BANK-2026-0042").count() == 1
        assert services.ledger_balance(loan)["owed"] == owed_before - Decimal("500.00")

        # A rate limit counts requests to both servers (it lives in the shared Redis): 20 lookups an IP.
        for i in range(20):
            base = (first, second)[i % 2]
            assert requests.get(f"{base}/verify/", params={"code": f"NO-SUCH-{i}"}, timeout=10).status_code == 200
        assert requests.get(f"{second}/verify/", params={"code": "ONE-MORE"}, timeout=10).status_code == 429


def test_two_task_workers_over_one_queue_run_each_job_once():
    from perf.tasks import probe

    keys = [f"job-{i}" for i in range(40)]
    for key in keys:
        probe.using(backend="database").enqueue(key)
    command = [sys.executable, "manage.py", "db_worker", "--backend", "database", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(command + ["--worker-id", f"w{n}"], cwd=settings.BASE_DIR, env=server_env())  # noqa: S603
        for n in (1, 2)
    ]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    runs = list(TaskRun.objects.values_list("key", flat=True))
    assert sorted(runs) == sorted(keys)  # every job ran, none twice
    from django_tasks_db.models import DBTaskResult

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
