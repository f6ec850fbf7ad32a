"""The sections of a business plan, as the programme's business-development phase teaches them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    prompt: Promise


SECTIONS: list[Section] = [
    Section(
        "business_idea",
        _("Business idea"),
        _("What will you sell, to whom, and why will they buy from you?"),
    ),
    Section(
        "product",
        _("Product or service"),
        _("Your knowledge of the trade, permits you need, how the product is made or delivered, prices, sales plan."),
    ),
    Section(
        "innovation",
        _("Innovation"),
        _("What is new or different about your idea?"),
    ),
    Section(
        "premises",
        _("Premises and equipment"),
        _("Where will you work, and what machines, tools or vehicles do you need?"),
    ),
    Section(
        "market",
        _("Market, customers and competitors"),
        _("Who are your customers, how many are they, and who else sells the same?"),
    ),
    Section(
        "marketing",
        _("Marketing"),
        _("How will customers hear about you and choose you?"),
    ),
    Section(
        "regulations",
        _("Regulations"),
        _("Company form, taxes and VAT, insurance, employer's responsibilities, bookkeeping, pension."),
    ),
]
SECTION_KEYS = [s.key for s in SECTIONS]
BUDGET_KEY = "budget"
# Comments can be on any text section or on the budget.
COMMENT_TARGETS = [*SECTION_KEYS, BUDGET_KEY]


def section_title(key: str):
    if key == BUDGET_KEY:
        return _("Budget")
    return next((s.title for s in SECTIONS if s.key == key), key)
