"""The one daily run: each app registers its time-driven work here; `manage.py daily --as-of` runs it."""

from __future__ import annotations

from collections.abc import Callable

_jobs: dict[str, Callable] = {}


def register(name: str, job: Callable) -> None:
    _jobs[name] = job


def jobs() -> dict[str, Callable]:
    return dict(_jobs)
