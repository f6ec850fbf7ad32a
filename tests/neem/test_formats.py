"""Money and numbers in the reader's language, with the currency's own decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from neem.formats import format_amount, format_money, format_number

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("en", "SEK", "1,234,567.50 SEK"),
        ("sv", "SEK", f"1{NBSP}234{NBSP}567,50 SEK"),
        ("da", "DKK", "1.234.567,50 DKK"),
        ("vi", "VND", "1.234.568 VND"),  # VND has no minor unit
        ("ar", "SEK", "1,234,567.50 SEK"),  # Latin digits, as on her bank statement
        ("en", "BHD", "1,234,567.500 BHD"),
    ],
)
def test_money_in_the_readers_language_with_the_currencys_decimals(language, currency, expected):
    assert format_money(Decimal("1234567.5"), currency, language=language) == expected


def test_the_active_language_is_used_when_none_is_given():
    with translation.override("sv"):
        assert format_amount(Decimal("1000"), "SEK") == f"1{NBSP}000,00"
    with translation.override("vi"):
        assert format_amount(Decimal("25000000"), "VND") == "25.000.000"


def test_nothing_to_show_is_a_dash():
    assert format_money(None, "SEK") == "—"
    assert format_money("", "SEK") == "—"


def test_numbers_follow_the_language():
    assert format_number(Decimal("1234.5"), places=1, language="sv") == f"1{NBSP}234,5"
    assert format_number(Decimal("1234.5"), places=1, language="vi") == "1.234,5"


def test_the_money_filter_isolates_the_figure_for_right_to_left_pages():
    template = Template("{% load neem_format %}{{ value|money:'SEK' }} {{ phone|ltr }}")
    with translation.override("ar"):
        html = template.render(Context({"value": Decimal("-250"), "phone": "+46 70 123 45 67"}))
    assert '<bdi class="money">' in html and "250.00 SEK</bdi>" in html
    assert '<span dir="ltr" class="ltr">+46 70 123 45 67</span>' in html


def test_the_text_filters_give_plain_text_for_sms_and_email():
    template = Template("{% load neem_format %}{{ value|money_text:'VND' }}")
    with translation.override("vi"):
        assert template.render(Context({"value": Decimal("1500000")})) == "1.500.000 VND"


def test_a_reminder_text_message_shows_the_amount_in_her_language():
    from django.template.loader import render_to_string

    context = {"amount": "1234.50", "currency": "SEK", "due_date": "2026-12-01"}
    with translation.override("sv"):
        text = render_to_string("participants/sms/instalment_due.txt", context)
    assert f"1{NBSP}234,50" in text
    with translation.override("en"):
        text = render_to_string("participants/sms/instalment_due.txt", context)
    assert "1,234.50 SEK" in text
