"""Curriculum content in several languages, stored as {"en": "...", "sv": "..."}.

A JSON of translations rather than one column per language: a programme that coaches in Arabic
or Somali adds a language in settings, not a migration, and the editor builds one field per
configured language. The fallback order is the reader's language, the programme's, English, any.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def localized(value, *, language: str | None = None, fallback: str | None = None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, fallback, settings.LANGUAGE_CODE, "en"):
        if code and value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
