"""Reads for the portfolio, savings groups, credit statements and follow-up, each scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from loans.models import Allocation, Loan, LoanStatus
from neem import access

from .models import (
    ZERO,
    CompanyStatus,
    CreditStatement,
    FollowUpVisit,
    SavingsEntry,
    SavingsGroup,
    SavingsMember,
    SavingsPolicy,
)

CENT = Decimal("0.01")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


# --- Portfolio -----------------------------------------------------------------------------------------


def can_see_portfolio(user) -> bool:
    scope = access.scope_of(user)
    return bool(scope.manager_programmes or scope.lead_regions)


def portfolio_loans(user, *, region=None, product=None, adviser=None) -> QuerySet[Loan]:
    """Loans a manager (her programme) or a region lead (her region) may count, with the page's filters."""
    scope = access.scope_of(user)
    loans = Loan.objects.filter(
        Q(case__programme_id__in=scope.manager_programmes) | Q(case__region_id__in=scope.lead_regions)
    )
    if region:
        loans = loans.filter(case__region=region)
    if product:
        loans = loans.filter(product=product)
    if adviser:
        loans = loans.filter(case__adviser=adviser)
    return loans


# --- Savings groups ------------------------------------------------------------------------------------


def savings_groups_visible_to(user) -> QuerySet[SavingsGroup]:
    scope = access.scope_of(user)
    return SavingsGroup.objects.filter(
        Q(region_id__in=scope.case_reader_regions) | Q(programme_id__in=scope.manager_programmes)
    ).select_related("region", "programme")


def can_keep_savings(user, group: SavingsGroup) -> bool:
    """Record money and meetings: advisers and the region lead of the group's region."""
    return group.region_id in access.scope_of(user).case_reader_regions


def savings_group_for_page(user, pk: int) -> SavingsGroup:
    return get_object_or_404(savings_groups_visible_to(user), pk=pk)


def _group_sums(qs: QuerySet[SavingsGroup]) -> QuerySet[SavingsGroup]:
    saved = SavingsEntry.objects.filter(group=OuterRef("pk")).values("group").annotate(t=Sum("amount")).values("t")
    need = SavingsMember.objects.filter(group=OuterRef("pk")).values("group").annotate(t=Sum("loan_need")).values("t")
    return qs.annotate(
        saved_sum=Coalesce(Subquery(saved, output_field=_MONEY), Value(ZERO), output_field=_MONEY),
        need_sum=Coalesce(Subquery(need, output_field=_MONEY), Value(ZERO), output_field=_MONEY),
    )


@dataclass(frozen=True)
class Progress:
    saved: Decimal
    need: Decimal

    @property
    def target(self) -> Decimal:
        """A third of the members' total loan need (seed 000)."""
        return (self.need / 3).quantize(CENT)

    @property
    def reached(self) -> bool:
        return self.need > ZERO and self.saved * 3 >= self.need

    @property
    def percent_of_target(self) -> int:
        """How far toward the third, 0–100, for the progress bar."""
        if self.need <= ZERO:
            return 0
        return min(100, int(self.saved * 300 / self.need))

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.saved, ZERO)


def groups_with_progress(qs: QuerySet[SavingsGroup]) -> list[tuple[SavingsGroup, Progress]]:
    """Each group with its savings and need; one query."""
    return [(g, Progress(_money(g.saved_sum), _money(g.need_sum))) for g in _group_sums(qs)]


def group_progress(group: SavingsGroup) -> Progress:
    return groups_with_progress(SavingsGroup.objects.filter(pk=group.pk))[0][1]


def members_with_balances(group: SavingsGroup) -> list[SavingsMember]:
    """The members, each with `.balance` (her savings in this group); one query."""
    balance = (
        SavingsEntry.objects.filter(group=group, case=OuterRef("case"))
        .values("case")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    members = list(
        group.members.select_related("case__participant").annotate(
            balance_sum=Coalesce(Subquery(balance, output_field=_MONEY), Value(ZERO), output_field=_MONEY)
        )
    )
    for m in members:
        m.balance = _money(m.balance_sum)
    return members


def member_balance(group_id: int, case_id: int) -> Decimal:
    total = SavingsEntry.objects.filter(group_id=group_id, case_id=case_id).aggregate(t=Sum("amount"))["t"]
    return _money(total)


def savings_gate(case) -> str | None:
    """The lending gate: where the programme asks for it, the case's group must have saved a third of its need."""
    required = SavingsPolicy.objects.filter(programme_id=case.programme_id, required=True).exists()
    if not required:
        return None
    groups = groups_with_progress(SavingsGroup.objects.filter(members__case=case))
    if any(progress.reached for _g, progress in groups):
        return None
    return _(
        "Savings gate: the programme asks that the participant's savings group first saves a third of its "
        "members' loan need."
    )


# --- Credit statements ---------------------------------------------------------------------------------


def statements_visible_to(user) -> QuerySet[CreditStatement]:
    from coaching.selectors import participants_visible_to

    return CreditStatement.objects.filter(participant__in=participants_visible_to(user))


def statement_by_code(code: str) -> CreditStatement | None:
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return CreditStatement.objects.select_related("participant").filter(code=code).first()


@dataclass
class StatementLine:
    number: int
    due_date: date
    amount: Decimal
    paid: Decimal
    paid_on: date | None
    days_late: int | None


@dataclass
class StatementLoan:
    loan: Loan
    lines: list[StatementLine] = field(default_factory=list)
    repaid: Decimal = ZERO
    outstanding: Decimal = ZERO


def statement_loans(participant, *, as_of: date) -> list[StatementLoan]:
    """Each paid-out loan of the participant with each instalment, when it was paid and how late.

    "Paid on" is the value date of the allocation that completed the instalment (a later reversal
    reopens it). Three queries whatever the number of loans.
    """
    loans = list(
        Loan.objects.filter(
            case__participant=participant,
            status__in=[LoanStatus.ACTIVE, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF],
        )
        .select_related("product", "case__programme")
        .order_by("disbursed_on", "pk")
    )
    by_loan = {loan.pk: StatementLoan(loan) for loan in loans}
    allocations: dict[int, list] = {}
    for a in (
        Allocation.objects.filter(
            instalment__loan__in=loans, instalment__active=True, entry__kind__in=["repayment", "reversal"]
        )
        .select_related("entry")
        .order_by("entry__value_date", "entry_id")
    ):
        allocations.setdefault(a.instalment_id, []).append(a)
    from loans.models import Instalment

    for inst in Instalment.objects.filter(loan__in=loans, active=True).order_by("loan", "due_date", "number"):
        due = inst.principal + inst.interest + inst.fee + inst.penalty
        running, paid_on = Decimal("0.00"), None
        for a in allocations.get(inst.pk, []):
            running += a.principal + a.interest + a.fee + a.penalty
            if running >= due and paid_on is None:
                paid_on = a.entry.value_date
            elif running < due:
                paid_on = None
        if paid_on:
            days_late = max((paid_on - inst.due_date).days, 0)
        elif inst.due_date < as_of:
            days_late = (as_of - inst.due_date).days
        else:
            days_late = None
        item = by_loan[inst.loan_id]
        item.lines.append(StatementLine(inst.number, inst.due_date, due, running, paid_on, days_late))
        item.repaid += running
    for item in by_loan.values():
        if item.loan.status == LoanStatus.ACTIVE:
            item.outstanding = sum((max(line.amount - line.paid, ZERO) for line in item.lines), ZERO)
    return list(by_loan.values())


# --- Follow-up -----------------------------------------------------------------------------------------


def visits(case) -> QuerySet[FollowUpVisit]:
    return case.follow_up_visits.select_related("by").order_by("-date", "-id")


def income_change(case, visits: list[FollowUpVisit] | None = None) -> Decimal | None:
    """The latest visit's household income less the intake baseline; None when either is missing.

    `visits`, when given, are the case's visits newest first (as `visits()` reads them): no query then."""
    baseline = case.participant.household_income
    if visits is None:
        latest = case.follow_up_visits.filter(household_income__isnull=False).order_by("-date", "-id").first()
    else:
        latest = next((visit for visit in visits if visit.household_income is not None), None)
    if baseline is None or latest is None:
        return None
    return latest.household_income - baseline


def income_change_percent(case, visits: list[FollowUpVisit] | None = None) -> Decimal | None:
    change = income_change(case, visits)
    baseline = case.participant.household_income
    if change is None or not baseline:
        return None
    return (Decimal(100) * change / baseline).quantize(Decimal("0.1"))


def business_start(case) -> date | None:
    """When the business follow-up clock starts: the first payout, or else the day the case closed."""
    first = (
        case.loans.filter(disbursed_on__isnull=False)
        .order_by("disbursed_on")
        .values_list("disbursed_on", flat=True)
        .first()
    )
    if first:
        return first
    return case.closed_at.date() if case.closed_at else None


def business_running_after(case, months: int = 12, visits: list[FollowUpVisit] | None = None) -> bool | None:
    """Is the business still running `months` after the payout (or the end of the programme)?

    True or False from the latest visit on or after that mark; False also when an earlier visit found it
    closed and none came after; None when nobody has looked yet. `visits` as for `income_change`.
    """
    if visits is None:
        latest = case.follow_up_visits.order_by("-date", "-id").first()
    else:
        latest = visits[0] if visits else None
    if latest is None:  # nobody has looked: no need to ask when the clock started
        return None
    start = business_start(case)
    if start is None:
        return None
    mark = _add_months(start, months)
    if latest.date >= mark:
        return latest.company_status == CompanyStatus.RUNNING
    if latest.company_status == CompanyStatus.CLOSED:
        return False
    return None


def _add_months(day: date, months: int) -> date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
