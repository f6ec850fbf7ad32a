"""`{% field_row field %}` and `{% fields form %}`: form field rows written in Python (neem/forms.py).

A builtin library (settings TEMPLATES), so every template has it without a `{% load %}`.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from neem.forms import field_row as _field_row

register = template.Library()


@register.simple_tag
def field_row(field) -> SafeString:
    """The row of one field: label, widget, help text, errors (templates/includes/field.html)."""
    return _field_row(field)


@register.simple_tag
def fields(form_or_fields) -> SafeString:
    """The rows of every field of a form (or of a list of its fields), in order."""
    return mark_safe("".join(_field_row(field) for field in form_or_fields))  # noqa: S308 (rows are escaped)
