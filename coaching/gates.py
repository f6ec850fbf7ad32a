"""Conditions a case must meet to move on. Each returns a bool and carries a message for the user.

Modules, the business plan and loans are completed by later work; until a programme has a
curriculum with mandatory modules, a plan model or loans, the gate has nothing to hold back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Later apps register extra checks per gate: name -> list of callables(case) -> bool.
_extra_checks: dict[str, list[Callable]] = {}


def register(gate_name: str, check: Callable) -> None:
    """Let an app (coaching modules, plans, loans) complete a gate without a circular import."""
    _extra_checks.setdefault(gate_name, [])
    if check not in _extra_checks[gate_name]:
        _extra_checks[gate_name].append(check)


def _extra_ok(gate_name: str, case) -> bool:
    return all(check(case) for check in _extra_checks.get(gate_name, []))


def eligibility_problems(participant, programme, today=None) -> list[str]:
    """Why this person cannot join this programme; empty when eligible."""
    from .models import EmploymentStatus, ResidencePermit

    today = today or timezone.localdate()
    problems: list[str] = []
    if programme.require_permanent_residence and participant.residence_permit not in (
        ResidencePermit.CITIZEN,
        ResidencePermit.PERMANENT,
    ):
        problems.append(str(_("A permanent residence permit (or citizenship) is required.")))
    age = participant.age_on(today)
    if programme.min_age is not None or programme.max_age is not None:
        if age is None:
            problems.append(str(_("The date of birth is needed to check the age limits.")))
        elif programme.min_age is not None and age < programme.min_age:
            problems.append(str(_("Younger than the programme's minimum age of %(age)s.") % {"age": programme.min_age}))
        elif programme.max_age is not None and age > programme.max_age:
            problems.append(str(_("Older than the programme's maximum age of %(age)s.") % {"age": programme.max_age}))
    if programme.require_unemployed and participant.employment_status not in (
        EmploymentStatus.UNEMPLOYED,
        EmploymentStatus.PART_TIME,
    ):
        problems.append(str(_("The programme is for people who are unemployed.")))
    return problems


def is_eligible(case) -> bool:
    return not eligibility_problems(case.participant, case.programme) and _extra_ok("eligible", case)


is_eligible.message = _("The participant does not meet the programme's eligibility rules.")
# Why not, in words the adviser can act on (services.unmet_conditions shows these instead of the message).
is_eligible.explain = lambda case: eligibility_problems(case.participant, case.programme)


def mandatory_modules_approved(case) -> bool:
    return _extra_ok("mandatory_modules_approved", case)


mandatory_modules_approved.message = _("Every mandatory coaching module must be approved first.")


def business_plan_approved(case) -> bool:
    return _extra_ok("business_plan_approved", case)


business_plan_approved.message = _("The business plan must be approved first.")


def loan_disbursed_or_settled(case) -> bool:
    return _extra_ok("loan_disbursed_or_settled", case)


loan_disbursed_or_settled.message = _("The loan must be disbursed (or repaid) first.")
