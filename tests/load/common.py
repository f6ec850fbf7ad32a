"""Shared by the load and fault scripts: a fresh PostgreSQL database with the demo data, and gunicorn on it.

Not collected by pytest (no test_*.py here). Run with the project's venv from the repository root.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "neem-demo-2026"  # noqa: S105 - the published demo password
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/neem_load"


def database_url() -> str:
    return os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)


def app_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neem.settings.dev",
        "DEBUG": "False",
        "DATABASE_URL": database_url(),
        "NEEM_ENFORCE_STAFF_MFA": "False",
        "LOG_LEVEL": "ERROR",
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fresh_database() -> None:
    """Drop and create the load database, migrate it and load the demo (seed_demo + daily)."""
    url = database_url()
    name = urlparse(url).path.lstrip("/")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    log(f"preparing {name}: migrate, seed_demo, daily")
    subprocess.run(["psql", maintenance, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)  # noqa: S603, S607
    subprocess.run(["psql", maintenance, "-qc", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603, S607
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["daily"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=ROOT, env=app_env(), check=True, stdout=subprocess.DEVNULL
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 4):
    """gunicorn on a free port; yields (base URL, the master's Popen)."""
    port = free_port()
    master = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "neem.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],  # fmt: skip
        cwd=ROOT,
        env=app_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{base}/accounts/login/", timeout=20)
                break
            except requests.RequestException:
                if master.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.5)
        log(f"gunicorn ({workers} workers) on {base}, master pid {master.pid}")
        yield base, master
    finally:
        master.terminate()
        master.wait(timeout=60)


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn master's worker processes (its children), from /proc."""
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        match = re.search(r"^PPid:\s+(\d+)$", text, re.M)
        if match and int(match.group(1)) == master_pid:
            children.append(int(status.parent.name))
    return sorted(children)


def login(base: str, email: str, session: requests.Session | None = None) -> requests.Session:
    session = session or requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login of {email} answered {answer.status_code}")
    return session
