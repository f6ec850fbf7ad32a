"""The languages Neem speaks: English (the source) and every language that has a catalogue.

A language is offered when `locale/<code>/` exists (`manage.py makemessages -l <code>` creates it), so
adding a sixth language is adding its catalogue: no settings, no migration. Model fields that store a
language take their choices from `language_choices` (a callable, so the list is not frozen into the
migrations). `NEEM_LANGUAGES` (comma-separated codes) narrows the list for an installation; English, the source
and LANGUAGE_CODE, always stays.
"""

from __future__ import annotations

from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy

SOURCE_LANGUAGE = "en"
# Written right to left (Django's own LANGUAGES_BIDI, plus the others our participants may read).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ckb", "ug", "ps", "dv", "yi"})


def _name(code: str) -> str:
    return LANG_INFO[code]["name"]


def discover(locale_dir: Path, *, only: list[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) for English and each `locale_dir/<code>/LC_MESSAGES/` Django knows, English first.

    Names are Django's English names, translated lazily (Django's own catalogue has them), e.g.
    ("ar", "Arabic"); the language switcher shows each one in its own language (`name_local`).
    """
    codes = [SOURCE_LANGUAGE]
    if locale_dir.is_dir():
        for entry in sorted(locale_dir.iterdir()):
            code = entry.name.replace("_", "-").lower()
            if (entry / "LC_MESSAGES").is_dir() and code in LANG_INFO and code not in codes:
                codes.append(code)
    if only:
        wanted = [code.strip().lower() for code in only if code.strip()]
        codes = [code for code in codes if code in wanted or code == SOURCE_LANGUAGE]
    # gettext_noop'd in Django's catalogue, so the lazy translation finds them.
    return [(code, gettext_lazy(_name(code))) for code in codes]  # noqa: INT001


def language_choices() -> list[tuple[str, str]]:
    """Choices for a model field that stores a language (callable: read at validation, not migration)."""
    from django.conf import settings

    return list(settings.LANGUAGES)


def is_rtl(code: str | None) -> bool:
    return bool(code) and code.split("-")[0].lower() in RTL_LANGUAGES


def text_direction(code: str | None) -> str:
    return "rtl" if is_rtl(code) else "ltr"
