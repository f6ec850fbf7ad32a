"""{% load neem_format %}: money and numbers for the reader's language, kept readable in right-to-left text.

`money` and `amount` give HTML: the figure in a <bdi>, so "1,234.50 SEK" stays one left-to-right unit
inside Arabic text. `money_text` and `amount_text` give plain text, for e-mails and text messages.
`ltr` wraps phone numbers, IBANs and references (always read left to right).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from .. import formats

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return format_html('<bdi class="money">{}</bdi>', formats.format_money(value, currency))


@register.filter
def amount(value, currency: str = "") -> str:
    return format_html('<bdi class="money">{}</bdi>', formats.format_amount(value, currency))


@register.filter
def money_text(value, currency: str = "") -> str:
    return formats.format_money(value, currency)


@register.filter
def amount_text(value, currency: str = "") -> str:
    return formats.format_amount(value, currency)


@register.filter
def local_date(value) -> str:
    """A date (or an ISO date string, as reminders carry them through the task queue) in the active language's
    own format, e.g. "1 december 2026" in Swedish."""
    from datetime import date as date_type

    from django.utils import formats as django_formats

    if isinstance(value, str):
        try:
            value = date_type.fromisoformat(value)
        except ValueError:
            return value
    if not value:
        return ""
    return django_formats.date_format(value, "DATE_FORMAT")


@register.filter
def ltr(value) -> str:
    """A phone number, IBAN or reference: left to right whatever the page's direction."""
    if value in (None, ""):
        return ""
    return format_html('<span dir="ltr" class="ltr">{}</span>', value)


@register.simple_tag
def pdf_font_url(name: str) -> str:
    """file:// URL of a font shipped in static/fonts/, for WeasyPrint's @font-face."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    found = finders.find(f"fonts/{name}")
    return Path(found).resolve().as_uri() if found else ""
