"""HTML to PDF with WeasyPrint, in a given language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict, *, language: str | None = None, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()
