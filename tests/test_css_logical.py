"""Right to left works only if the CSS never says "left" or "right": logical properties only.

Reads every stylesheet in static/ and every inline style in templates/ and fails on a physical
property (margin-left, padding-right, left:, width:, text-align: left, float: right, a four-value
margin or padding...). Media queries on the viewport's width are allowed: they are not about direction.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHYSICAL_PROPERTY = re.compile(
    r"^(?:(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right|top|bottom)(?:-\w+)?"
    r"|left|right|top|bottom|(?:min-|max-)?(?:width|height)|border-(?:top|bottom)-(?:left|right)-radius)$"
)
PHYSICAL_VALUE = re.compile(r"^(?:text-align|float|clear|caption-side|resize)$")
FOUR_VALUES = re.compile(r"^(?:margin|padding|inset|border-width|border-style|border-color|scroll-margin)$")


def declarations(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # Drop @media/@supports conditions; keep the rules inside them.
    css = re.sub(r"@(?:media|supports)[^{]*\{", "", css)
    for block in re.findall(r"\{([^{}]*)\}", css):
        for declaration in block.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                yield name.strip().lower(), value.strip().lower()


def physical(name: str, value: str) -> bool:
    if PHYSICAL_PROPERTY.match(name):
        return True
    if PHYSICAL_VALUE.match(name) and re.search(r"\b(left|right)\b", value):
        return True
    parts = [p for p in re.split(r"\s+", value.replace("!important", "").strip()) if p]
    return bool(FOUR_VALUES.match(name) and len(parts) == 4 and parts[1] != parts[3])


def offenders() -> list[str]:
    found = []
    for path in sorted((ROOT / "static").rglob("*.css")):
        for name, value in declarations(path.read_text(encoding="utf-8")):
            if physical(name, value):
                found.append(f"{path.relative_to(ROOT)}: {name}: {value}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "pdf" in path.name:
            continue  # WeasyPrint's page boxes: see test_pdf_fonts for the PDFs' direction
        for style in re.findall(r'\sstyle="([^"]*)"', text):
            for name, value in declarations("{" + style + "}"):
                if physical(name, value):
                    found.append(f"{path.relative_to(ROOT)}: style {name}: {value}")
        for block in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S):
            for name, value in declarations(block):
                if physical(name, value):
                    found.append(f"{path.relative_to(ROOT)}: <style> {name}: {value}")
    return found


def test_the_checker_knows_a_physical_property_when_it_sees_one():
    assert physical("margin-left", "1rem")
    assert physical("padding-right", "0")
    assert physical("text-align", "left")
    assert physical("float", "right")
    assert physical("left", "0")
    assert physical("width", "100%")
    assert physical("padding", ".2rem .4rem .2rem 0")
    assert not physical("margin-inline-start", "1rem")
    assert not physical("text-align", "start")
    assert not physical("padding", ".2rem .4rem")
    assert not physical("inline-size", "100%")


def test_stylesheets_and_inline_styles_use_logical_properties_only():
    assert offenders() == []
