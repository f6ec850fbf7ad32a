"""What the case page's "who changed what" shows: the case and the person, plus what later apps register.

`register(name, records)`: `records(case)` returns the historical records (django-simple-history) of the app's
decision and money rows of that case, newest first, in one query; coaching does not import the apps that register.
"""

from __future__ import annotations

from collections.abc import Callable

_sources: dict[str, Callable] = {}

LIMIT = 50


def register(name: str, records: Callable) -> None:
    _sources[name] = records


def sources() -> dict[str, Callable]:
    return dict(_sources)


def _module_progress(case):
    from .curriculum_models import ModuleProgress

    return ModuleProgress.history.filter(case_id=case.pk).select_related("history_user", "module")[:LIMIT]


register("module_progress", _module_progress)
