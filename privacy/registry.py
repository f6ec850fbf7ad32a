"""One registry for personal data: each app contributes its part of a participant's export and erases its own part.

An app registers from its `personal_data.py` (autodiscovered by the privacy app), so apps stay decoupled:

    register_exporter("loans", export_loans, title=_("Loans"), order=50)
    register_eraser("loans", erase_loans)

An exporter takes (participant, cases) and returns JSON-serialisable data (a dict, or a list of dicts), or None
when it holds nothing. An eraser takes an `privacy.erasure.Erasure` and returns how many rows it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exporter:
    name: str
    function: Callable
    title: str
    order: int


_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Callable] = {}
_blockers: dict[str, Callable] = {}


def register_exporter(name: str, function: Callable, *, title, order: int = 100) -> None:
    _exporters[name] = Exporter(name=name, function=function, title=title, order=order)


def register_eraser(name: str, function: Callable) -> None:
    _erasers[name] = function


def exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda e: (e.order, e.name))


def erasers() -> dict[str, Callable]:
    return dict(_erasers)


def register_blocker(name: str, function: Callable) -> None:
    """`function(participant)` returns the reasons her data must not be erased yet (e.g. a loan still running)."""
    _blockers[name] = function


def blockers() -> dict[str, Callable]:
    return dict(_blockers)
