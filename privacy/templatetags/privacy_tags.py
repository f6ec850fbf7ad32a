"""Render a data export's parts (nested JSON values) as readable HTML for the PDF."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _scalar(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return escape(str(value))


def _render(value, depth: int = 0):
    if isinstance(value, dict):
        if not value:
            return mark_safe('<p class="empty">—</p>')
        items = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((_label(k), _render(v, depth + 1)) for k, v in value.items())
        )
        return format_html('<dl class="facts">{}</dl>', items)
    if isinstance(value, list):
        if not value:
            return mark_safe('<p class="empty">—</p>')
        if all(isinstance(v, dict) for v in value) and all(
            not isinstance(x, dict | list) for v in value for x in v.values()
        ):
            keys = list(dict.fromkeys(k for v in value for k in v))
            head = format_html_join("", '<th scope="col">{}</th>', ((_label(k),) for k in keys))
            body = format_html_join(
                "",
                "<tr>{}</tr>",
                (
                    (format_html_join("", "<td>{}</td>", ((mark_safe(_scalar(v.get(k))),) for k in keys)),)
                    for v in value
                ),
            )
            return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((_render(v, depth + 1),) for v in value))
        )
    return mark_safe(_scalar(value))


@register.simple_tag
def export_value(value):
    return _render(value)
