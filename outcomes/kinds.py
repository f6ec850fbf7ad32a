"""The built-in indicator kinds: each is a set of sums over the per-case table of the case files.

Each kind names sums over the table of `outcomes.metrics` (hours attended, health-check change, loan
figures, ...: computed set-based, a fixed number of queries): a numerator, a denominator (its base), and the people
the figure rests on (for small-cell suppression). Each is a `Count` of the cases passing a test or a `Total` of a
per-case value, with SQL's meaning (a total ignores cases without a value and is None when no case has one). The same
parts serve the whole table and every breakdown (`outcomes.figures`), which sum the one table per group.

Definitions (written down here because funders ask):
- a *participant* is a case file of the programme (one per person and programme), counted in her case's current
  region: someone who moved from one region to another counts where her case is now;
- *started coaching*: reached the coaching stage (now in it or later, closed, or withdrawn after a transition into
  coaching);
- *completed coaching*: reached the business-plan stage or later, or closed with a next step (company, job, studies,
  internship, other) — closing with "no next step" is leaving coaching, not completing it; base: started coaching;
- *company started*: a closed case with the outcome "company started"; base: all participants;
- *next step*: closed cases with the outcome company, employed, studies or internship; base: closed cases;
- *coaching hours*: hours of sessions attended (present) per participant who started coaching;
- *health-check change*: for cases with a filled start and end round, the mean over the areas scored in both of
  (end − start), averaged over those cases (points on the 1–5 scale);
- *repayment rate*: of what has fallen due up to today on the active schedules of paid-out loans (principal, interest
  and fees, net of waivers), the share repaid;
- *PAR30*: outstanding principal of active loans with an instalment more than 30 days overdue, divided by the
  outstanding principal of all active loans (so weighted by balance);
- *change in household income*: for cases whose participant has an intake baseline above 0
  (`Participant.household_income`) and at least one follow-up visit up to today that records household income: the
  latest such visit's income less the baseline, in % of the baseline; averaged over those cases (a mean of per-case
  percentages, in %; cases without a baseline, or with a baseline of 0, are left out). Per case it is
  `portfolio.selectors.income_change_percent`;
- *businesses still running after 12 months*: the 12-month point is 12 months after the first payout
  (`Loan.disbursed_on`), or, with no payout, after the day the case closed (its UTC date, as on the case page); on
  the 29th of February a year later is the 28th. Among cases whose 12-month point is on or before today and whose
  latest follow-up visit up to today is on or after that point, or (earlier) found the company closed: the share
  whose latest visit says "running" (paused counts as not running; a company found closed before the 12 months is
  not running). Per case it is `portfolio.selectors.business_running_after(case, months=12)`, taken only once the
  12 months have passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from coaching.models import Outcome, Stage

from . import metrics as m
from .metrics import AFTER_COACHING, NEXT_STEPS, CaseMetrics

PERMANENT = ["permanent", "citizen"]


@dataclass(frozen=True, eq=False)
class Count:
    """COUNT(*) FILTER (WHERE test): the cases passing `test` (all when None)."""

    test: Callable[[CaseMetrics], bool] | None = None

    def values(self, rows: list[CaseMetrics]) -> list:
        test = self.test
        return [1] * len(rows) if test is None else [1 if test(row) else 0 for row in rows]

    @staticmethod
    def total(values) -> int:
        return sum(values)


@dataclass(frozen=True, eq=False)
class Total:
    """SUM(value): None values are left out; None when no case has one."""

    value: Callable[[CaseMetrics], object]

    def values(self, rows: list[CaseMetrics]) -> list:
        value = self.value
        return [value(row) for row in rows]

    @staticmethod
    def total(values):
        present = [v for v in values if v is not None]
        return sum(present) if present else None


Part = Count | Total


@dataclass(frozen=True)
class Kind:
    """How one kind of figure is computed: parts summed over the per-case table (`outcomes.metrics`)."""

    code: str
    label: str
    definition: str
    numerator: Part | None = None
    denominator: Part | None = None
    base: Part | None = None  # people the figure rests on
    hits: Part | None = None  # people counted in the numerator, when it counts people
    mean: bool = False  # value = numerator / denominator, a number (hours, points)
    money_share: bool = False  # value = numerator / denominator in %, always
    money: bool = False  # the numerator is an amount in the programme's currency
    suffix: str = ""
    divide_by: int = 1  # e.g. minutes summed, hours shown
    needs: tuple[str, ...] = ()  # the per-case metrics (outcomes.metrics) it sums
    cumulative: bool = False  # grows over the programme's life: its target is pro-rated to the time passed
    available: bool = True

    @property
    def can_be_share(self) -> bool:
        return self.denominator is not None and not self.mean and not self.money

    @property
    def always_share(self) -> bool:
        return self.money_share

    def __reduce__(self):
        # Pickled (cached figures, perf.figcache) as its code: the parts hold lambdas.
        return (_kind_named, (self.code,))

    def parts(self) -> dict[str, Part]:
        """{"k_<code>_num" (and _den, _base, _hits): part}, the keys `outcomes.figures.figure_from` reads."""
        if not self.available:
            return {}
        parts = {
            "num": self.numerator,
            "den": self.denominator,
            "base": self.base,
            "hits": self.hits,
        }
        return {f"k_{self.code}_{name}": part for name, part in parts.items() if part is not None}


def _company(case: CaseMetrics) -> bool:
    return case.state == Stage.CLOSED and case.outcome == Outcome.COMPANY_STARTED


def _completed(case: CaseMetrics) -> bool:
    return case.state in AFTER_COACHING or (case.state == Stage.CLOSED and case.outcome != Outcome.NO_NEXT_STEP)


ALL = Count()
STARTED = Count(lambda c: c.started)
CLOSED = Count(lambda c: c.state == Stage.CLOSED)
BORROWERS = Count(lambda c: c.loans > 0)
WITH_DUES = Count(lambda c: c.due > 0)
OUTSTANDING = Count(lambda c: c.outstanding > 0)
HEALTH_BASE = Count(lambda c: c.health is not None)
INCOME_BASE = Count(lambda c: c.income_change is not None)


def _share(code, label, definition, test: Callable[[CaseMetrics], bool], base=ALL, **extra) -> Kind:
    hits = Count(test)
    return Kind(
        code=code,
        label=label,
        definition=definition,
        numerator=hits,
        denominator=base,
        base=base,
        hits=hits,
        **extra,
    )


KIND_LIST: list[Kind] = [
    Kind(
        code="mobilised",
        label=_("Participants mobilised"),
        definition=_("Case files of the programme (one per person), in their current region."),
        numerator=ALL,
        base=ALL,
        cumulative=True,
    ),
    _share(
        "women",
        _("Share of women"),
        _("Participants whose gender is woman, of all participants."),
        lambda c: c.gender == "woman",
    ),
    _share(
        "foreign_background",
        _("Share of foreign background"),
        _("Participants born abroad or with both parents born abroad, of all participants."),
        lambda c: c.foreign_background is True,
    ),
    _share(
        "permanent_residence",
        _("Share with a permanent residence permit or citizenship"),
        _("Participants with a permanent residence permit or citizenship, of all participants."),
        lambda c: c.residence_permit in PERMANENT,
    ),
    _share(
        "completed_coaching",
        _("Share that completed coaching"),
        _(
            "Reached the business plan or later, or closed with a next step other than 'no next step'; "
            "of those who started coaching."
        ),
        lambda c: c.started and _completed(c),
        base=STARTED,
        needs=(m.STARTED,),
    ),
    _share(
        "companies_started",
        _("Companies started"),
        _("Closed cases with the outcome 'company started'; as a share, of all participants."),
        _company,
        cumulative=True,
    ),
    _share(
        "social_enterprises",
        _("Social enterprises started"),
        _("Companies started that are marked as social enterprises; as a share, of all participants."),
        lambda c: _company(c) and c.social_enterprise,
        cumulative=True,
    ),
    _share(
        "next_step",
        _("Share that took the next step"),
        _("Closed cases with the outcome company, job, studies or internship, of all closed cases."),
        lambda c: c.state == Stage.CLOSED and c.outcome in NEXT_STEPS,
        base=CLOSED,
    ),
    Kind(
        code="coaching_hours",
        label=_("Average coaching hours"),
        definition=_("Hours of sessions attended (present), per participant who started coaching."),
        numerator=Total(lambda c: c.minutes if c.started else None),
        denominator=STARTED,
        base=STARTED,
        mean=True,
        suffix="h",
        divide_by=60,
        needs=(m.STARTED, m.MINUTES),
    ),
    Kind(
        code="health_check",
        label=_("Health-check improvement"),
        definition=_(
            "For cases with a start and an end round: the mean of (end − start) over the areas scored in both; "
            "averaged over those cases, in points on the 1–5 scale."
        ),
        numerator=Total(lambda c: c.health),
        denominator=HEALTH_BASE,
        base=HEALTH_BASE,
        mean=True,
        suffix=_("points"),
        needs=(m.HEALTH,),
    ),
    Kind(
        code="income_change",
        label=_("Change in household income"),
        definition=_(
            # xgettext:no-python-format
            "For participants with an intake household income (above 0) and a follow-up visit that records it: "
            "the latest visit's household income less the intake figure, in % of the intake figure; "
            "averaged over those participants."
        ),
        numerator=Total(lambda c: c.income_change),
        denominator=INCOME_BASE,
        base=INCOME_BASE,
        mean=True,
        suffix="%",
        needs=(m.INCOME,),
    ),
    _share(
        "still_running_12m",
        _("Businesses still running after 12 months"),
        _(
            "12 months after the first payout (or, with no loan, after the case closed): of the cases whose latest "
            "follow-up visit is on or after that day, or found the company closed before it, the share whose "
            "latest visit found the company running."
        ),
        lambda c: c.running_12m == 1,
        base=Count(lambda c: c.running_12m is not None),
        needs=(m.RUNNING,),
    ),
    Kind(
        code="loans_disbursed",
        label=_("Loans paid out"),
        definition=_("Loans paid out to participants (number)."),
        numerator=Total(lambda c: c.loans),
        base=BORROWERS,
        hits=BORROWERS,
        needs=(m.LOANS,),
        cumulative=True,
    ),
    Kind(
        code="amount_disbursed",
        label=_("Amount lent"),
        definition=_("The principal of the loans paid out, in the programme's currency."),
        numerator=Total(lambda c: c.lent),
        base=BORROWERS,
        hits=BORROWERS,
        money=True,
        needs=(m.LOANS,),
        cumulative=True,
    ),
    Kind(
        code="repayment_rate",
        label=_("Repayment rate"),
        definition=_(
            "Of what has fallen due up to today on paid-out loans (principal, interest, fees, net of waivers), "
            "the share repaid."
        ),
        numerator=Total(lambda c: c.repaid),
        denominator=Total(lambda c: c.due - c.waived),
        base=WITH_DUES,
        money_share=True,
        needs=(m.REPAYMENT,),
    ),
    Kind(
        code="par30",
        label=_("Portfolio at risk (PAR30)"),
        definition=_(
            "Outstanding principal of active loans with an instalment more than 30 days overdue, "
            "of the outstanding principal of all active loans."
        ),
        numerator=Total(lambda c: c.at_risk),
        denominator=Total(lambda c: c.outstanding),
        base=OUTSTANDING,
        hits=Count(lambda c: c.at_risk > 0),
        money_share=True,
        needs=(m.PAR,),
    ),
]

KINDS: dict[str, Kind] = {kind.code: kind for kind in KIND_LIST}


def _kind_named(code: str) -> Kind:
    return KINDS[code]


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in KIND_LIST]
