"""Normalisation used for duplicate detection: e-mail, phone (E.164) and names."""

from __future__ import annotations

import unicodedata

import phonenumbers

DEFAULT_REGION = "SE"


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def normalize_phone(value: str | None, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 (+46701234567), or '' when it is not a valid number."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def name_key(first_name: str, last_name: str) -> str:
    """Lower case, accents removed, whitespace collapsed: 'Åsa  Öberg' -> 'asa oberg'."""
    text = f"{first_name} {last_name}".casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())
