"""Start localstripe (a Stripe-protocol server) once per test session and point Neem at it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.payments.stripe_world import WEBHOOK_SECRET

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "var" / "localstripe-venv"
LOCALSTRIPE = VENV / "bin" / "localstripe"
REQUIREMENTS = ROOT / "requirements-localstripe.txt"


def _install() -> str | None:
    """Install localstripe into its own venv (it pins aiohttp & co. apart from ours). None when it worked."""
    try:
        if not (VENV / "bin" / "pip").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=120)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", "-r", str(REQUIREMENTS)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        output = getattr(exc, "stderr", b"") or b""
        return f"{exc} {output.decode(errors='replace')[-500:]}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own local server
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    if not LOCALSTRIPE.exists():
        problem = _install()
        if problem or not LOCALSTRIPE.exists():
            pytest.skip(f"localstripe could not be installed into {VENV}: {problem}")
    port = _free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"], stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not _answers(f"{base}/js.stripe.com/v3/"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"localstripe did not start on port {port}; see {log.name}")
        time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def stripe_on(settings, localstripe):
    """Keys for the test, Neem pointed at localstripe, and localstripe emptied."""
    request = urllib.request.Request(f"{localstripe}/_config/data", method="DELETE")
    urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
    settings.STRIPE_SECRET_KEY = "sk_test_neem"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_neem"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    return settings
