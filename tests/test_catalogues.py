"""Every message in the source is translated, and not fuzzy, in every catalogue of LANGUAGES.

The source's messages are extracted the way `makemessages` does (Django's templatize for templates,
xgettext with Django's keywords for both), but into a temporary .pot, so the test never touches the
committed .po files. A language's catalogues (locale/ and cms/locale/) are merged as Django merges
them at run time: a message counts when one of them translates it. It takes a few seconds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
# Every project app (an app whose code lives in this repository) and the templates: a new app is covered
# without anyone remembering to list it here.
SOURCE_DIRS = sorted(
    {
        Path(app.path).relative_to(ROOT).parts[0]
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(ROOT) and "site-packages" not in Path(app.path).parts
    }
) + ["templates"]
CATALOGUE_DIRS = [ROOT / "locale", ROOT / "cms" / "locale"]
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def extract(tmp_path: Path) -> dict:
    """{(context, msgid): message} for the source as it is now."""
    files = []
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
                continue
            if path.suffix == ".py":
                files.append(path)
                continue
            # A template: templatize it into Python that xgettext reads, as makemessages does.
            target = tmp_path / path.relative_to(ROOT)
            target = target.with_name(target.name + ".py")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
            files.append(target)
    pot = tmp_path / "django.pot"
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    subprocess.run(
        [
            shutil.which("xgettext") or "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
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
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


def translations(code: str) -> tuple[dict, list[str]]:
    """{(context, msgid): translated?} over the language's catalogues, as Django merges them at run time
    (the project's locale/ first, then cms/locale/): a message counts if one of them translates it."""
    merged: dict = {}
    problems = []
    for locale_dir in CATALOGUE_DIRS:
        po_path = locale_dir / code / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            problems.append(f"{po_path.relative_to(ROOT)} does not exist")
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            done = not message.fuzzy and all(strings)
            merged[key] = merged.get(key, False) or done
    return merged, problems


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_message_is_translated_in_every_language(tmp_path):
    messages = extract(tmp_path)
    assert len(messages) > 1000, "too few messages found: the extraction is broken"
    report = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue  # the source language
        done, problems = translations(code)
        report += [f"{code}: {problem}" for problem in problems]
        for key, source in messages.items():
            if key not in done:
                report.append(f"{code}: missing {source.id!r}")
            elif not done[key]:
                report.append(f"{code}: untranslated or fuzzy {source.id!r}")
    assert report == [], f"{len(report)} problems:\n" + "\n".join(report[:300])
