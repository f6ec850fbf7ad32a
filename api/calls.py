"""Every API call is logged: token (if any was found), method, path, status, time taken, IP address."""

from __future__ import annotations

import contextlib
import functools
import time

from django.urls import URLPattern

from .models import ApiCall

# Reading the schema and the docs is not a call on the programme's data.
UNLOGGED = ("openapi-json", "openapi-view")


def client_ip(request) -> str | None:
    # Behind the proxy, the last X-Forwarded-For entry is the one the proxy added (as the sign-up does).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def logged(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        started = time.monotonic()
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            # Logged as the 500 it becomes; a log that cannot be written must not hide the error itself.
            with contextlib.suppress(Exception):
                _log(request, 500, started)
            raise
        _log(request, response.status_code, started)
        return response

    # ninja marks its views csrf_exempt; keep what the view carries.
    wrapper.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapper


def _log(request, status: int, started: float) -> None:
    token = getattr(request, "api_token", None)
    ip = client_ip(request)
    try:
        from ipaddress import ip_address

        ip_address(ip or "")
    except ValueError:
        ip = None
    ApiCall.objects.create(
        token=token,
        programme_id=token.programme_id if token else None,
        method=request.method[:10],
        path=request.path[:500],
        status=status,
        duration_ms=int((time.monotonic() - started) * 1000),
        ip=ip,
    )


def with_call_log(patterns):
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in UNLOGGED:
            pattern = URLPattern(pattern.pattern, logged(pattern.callback), pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return wrapped
