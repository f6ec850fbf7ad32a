"""Every message in the source is translated, and not fuzzy, in every catalogue of LANGUAGES.

The source's messages are extracted the way `makemessages` does (Django's templatize for templates,
xgettext with Django's keywords for both), but into a temporary .pot, so the test never touches the
committed .po files: cms/ and templates/cms/ go to cms/locale/, everything
else to locale/. It takes a few seconds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
SOURCE_DIRS = [
    "neem",
    "coaching",
    "loans",
    "plans",
    "healthchecks",
    "portfolio",
    "outcomes",
    "participants",
    "cms",
    "templates",
]
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]

pytestmark = pytest.mark.xfail(strict=False, reason="catalogues da/vi/ar land from the translation branches")


def catalogue_of(path: Path) -> Path:
    """Where a file's messages live: an app with its own locale/ (cms) keeps its code's and its templates'
    (templates/cms/) messages there; everything else is in the project's locale/."""
    parts = path.relative_to(ROOT).parts
    app = parts[1] if parts[0] == "templates" and len(parts) > 2 else parts[0]
    app_locale = ROOT / app / "locale"
    return app_locale if app_locale.is_dir() and app != "templates" else ROOT / "locale"


def extract(tmp_path: Path) -> dict[Path, dict]:
    """{locale dir: {(context, msgid): message}} for the source as it is now."""
    groups: dict[Path, list[Path]] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            if path.suffix == ".py":
                groups.setdefault(catalogue_of(path), []).append(path)
                continue
            # A template: templatize it into Python that xgettext reads, as makemessages does.
            target = tmp_path / path.relative_to(ROOT)
            target = target.with_name(target.name + ".py")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
            groups.setdefault(catalogue_of(path), []).append(target)
    found = {}
    for locale_dir, files in groups.items():
        pot = tmp_path / f"{locale_dir.parent.name or 'project'}-{len(found)}.pot"
        listing = tmp_path / f"files-{len(found)}.txt"
        listing.write_text("\n".join(map(str, files)), encoding="utf-8")
        subprocess.run(
            [
                shutil.which("xgettext") or "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                "--add-comments=Translators",
                *KEYWORDS,
                f"--files-from={listing}",
                f"--output={pot}",
                "--force-po",
            ],
            check=True,
            capture_output=True,
        )
        text = pot.read_text(encoding="utf-8").replace(
            "nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1);"
        )
        catalog = read_po(io.StringIO(text.replace("charset=CHARSET", "charset=UTF-8")))
        found[locale_dir] = {(m.context, m.id): m for m in catalog if m.id}
    return found


def missing_in(po_path: Path, messages: dict) -> list[str]:
    if not po_path.exists():
        return [f"{po_path.relative_to(ROOT)} does not exist"]
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for source in messages.values():
        message = catalog.get(source.id, context=source.context)
        if message is None:
            problems.append(f"missing: {source.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {source.id!r}")
        elif not (all(message.string) if isinstance(message.string, tuple | list) else message.string):
            problems.append(f"untranslated: {source.id!r}")
    return problems


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_message_is_translated_in_every_language(tmp_path):
    extracted = extract(tmp_path)
    assert extracted[ROOT / "locale"], "no messages found: the extraction is broken"
    report = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue  # the source language
        for locale_dir, messages in extracted.items():
            po_path = locale_dir / code / "LC_MESSAGES" / "django.po"
            problems = missing_in(po_path, messages)
            report += [f"{po_path.relative_to(ROOT)}: {problem}" for problem in problems]
    assert report == [], f"{len(report)} problems:\n" + "\n".join(report[:200])
