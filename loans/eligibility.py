"""The gates a case must pass before a loan application goes to the committee.

Each check returns None when passed, or a message saying which gate failed. Later work (savings
groups) adds checks with `register`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from coaching import gates

_checks: list[Callable] = []


def register(check: Callable) -> None:
    if check not in _checks:
        _checks.append(check)


def _stage(case):
    if case.state != "loan":
        return _("The case must be in the loan stage (it is in %(stage)s).") % {"stage": case.get_state_display()}
    return None


def _plan(case):
    return None if gates.business_plan_approved(case) else _("The business plan is not approved.")


def _modules(case):
    return None if gates.mandatory_modules_approved(case) else _("Not every mandatory coaching module is approved.")


def _mentoring(case):
    from coaching.mentoring_services import mentoring_requirement_met

    return None if mentoring_requirement_met(case) else _("The programme requires mentoring before a loan.")


for _check in (_stage, _plan, _modules, _mentoring):
    register(_check)


def failed_gates(case) -> list[str]:
    return [message for check in _checks if (message := check(case))]
