"""Where a loan stands: what each instalment owes and has been paid, arrears, and how a payment is split.

Pure functions over plain values, so the allocation rules can be tested without a database and the
services only read rows, call these, and write entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
COMPONENTS = ("principal", "interest", "fee", "penalty")
BUCKETS = ((1, 30, "1-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, ">90"))


@dataclass
class InstalmentState:
    id: int
    number: int
    due_date: date
    due: dict[str, Decimal]
    paid: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, ZERO))

    @property
    def outstanding(self) -> dict[str, Decimal]:
        return {c: self.due[c] - self.paid[c] for c in COMPONENTS}

    @property
    def total_due(self) -> Decimal:
        return sum(self.due.values(), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum(self.paid.values(), ZERO)

    @property
    def total_outstanding(self) -> Decimal:
        return sum(self.outstanding.values(), ZERO)

    @property
    def is_paid(self) -> bool:
        return self.total_outstanding <= ZERO

    def days_overdue(self, as_of: date) -> int:
        if self.is_paid or self.due_date >= as_of:
            return 0
        return (as_of - self.due_date).days

    def status(self, as_of: date) -> str:
        if self.is_paid:
            return "paid"
        if self.due_date < as_of:
            return "overdue"
        if any(self.paid[c] for c in COMPONENTS):
            return "partly paid"
        return "due" if self.due_date == as_of else "upcoming"


@dataclass
class Position:
    instalments: list[InstalmentState]
    credit: Decimal
    as_of: date

    @property
    def outstanding(self) -> Decimal:
        return sum((i.total_outstanding for i in self.instalments), ZERO) - self.credit

    @property
    def outstanding_principal(self) -> Decimal:
        return sum((i.outstanding["principal"] for i in self.instalments), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum((sum(i.paid.values(), ZERO) for i in self.instalments), ZERO)

    @property
    def next_instalment(self) -> InstalmentState | None:
        return next((i for i in self.instalments if not i.is_paid), None)

    @property
    def days_overdue(self) -> int:
        return max((i.days_overdue(self.as_of) for i in self.instalments), default=0)

    @property
    def overdue_amount(self) -> Decimal:
        return sum((i.total_outstanding for i in self.instalments if i.days_overdue(self.as_of)), ZERO)

    @property
    def bucket(self) -> str:
        return delinquency_bucket(self.days_overdue)


def delinquency_bucket(days: int) -> str:
    for low, high, label in BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return "current"


def allocate(
    instalments: list[InstalmentState], amount: Decimal, order: list[str]
) -> tuple[list[tuple[InstalmentState, dict[str, Decimal]]], Decimal]:
    """Split `amount` over the instalments, oldest first, each in the product's component order.

    Returns the allocations (instalment, component -> amount) and what is left over (credit).
    """
    if amount < ZERO:
        raise ValueError("amount must not be negative")
    left = amount
    result = []
    for inst in sorted(instalments, key=lambda i: (i.due_date, i.number)):
        if left <= ZERO:
            break
        outstanding = inst.outstanding
        parts = dict.fromkeys(COMPONENTS, ZERO)
        for component in order:
            take = min(left, max(outstanding[component], ZERO))
            if take > ZERO:
                parts[component] = take
                left -= take
        if any(parts.values()):
            result.append((inst, parts))
    return result, left
