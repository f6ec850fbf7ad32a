"""The privacy app's daily work: the retention rule."""

from __future__ import annotations

from datetime import date


def daily(day: date) -> dict[str, int]:
    from .services import retention_run

    return retention_run(day)
