"""Form fields rendered in Python, with the markup of the templates they replace.

Rendering a text field through Django's widget templates takes three template renders (text.html includes
input.html, which includes attrs.html), and every field row on our pages one more (includes/field.html). On a
page with a few forms that was several milliseconds (manage.py bench). Here the same markup is written in Python:

- `NeemFormRenderer` renders Django's stock `input`, `textarea`, `select` and `select_option` widget templates
  (and the one-line templates that include `input.html`) itself. It does so only for templates that resolve to
  Django's own files: a project or app that overrides one gets its own template, as before.
- `field_row` is the row of one field: label, widget, help text and errors, as `templates/includes/field.html`
  (the readable form of the same markup, kept in step by tests/neem/test_forms_rendering.py).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import django
from django.forms.renderers import TemplatesSetting
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# A template context as widget templates get it: autoescaping on, localisation and time zone as configured.
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)
_STOCK_WIDGETS = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"
SELECT_OPTION = "django/forms/widgets/select_option.html"


def _out(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = str(value)  # "%s" % value, tuples included
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _out(name))
            if value is not True:
                out.append('="' + _formatted(value) + '"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html."""
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_out(option["label"])}</option>\n'


# The stock templates that only include input.html.
_INPUT_TEMPLATES = (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel",
    "text", "time", "url",
)  # fmt: skip


class NeemFormRenderer(TemplatesSetting):
    """Django's TemplatesSetting renderer, with the common widget templates written in Python (same markup)."""

    def __init__(self):
        super().__init__()
        self._fast: dict | None = None

    def _fast_templates(self) -> dict:
        if self._fast is None:
            fast = {"django/forms/widgets/input.html": _input}
            # Their own trailing newline goes with the strip every rendered widget gets (render()).
            fast.update({f"django/forms/widgets/{name}.html": _input for name in _INPUT_TEMPLATES})
            fast["django/forms/widgets/textarea.html"] = _textarea
            fast[SELECT_OPTION] = _option
            fast["django/forms/widgets/select.html"] = self._select
            # The Python versions stand in only for Django's own files, and only when every template they
            # are made of is Django's own: an override anywhere is rendered as its template says.
            parts = ("input.html", "attrs.html", "textarea.html", "select_option.html", "select.html")
            if not all(self._is_stock(f"django/forms/widgets/{part}") for part in parts):
                fast = {}
            self._fast = {name: render for name, render in fast.items() if self._is_stock(name)}
        return self._fast

    def _is_stock(self, template_name: str) -> bool:
        origin = self.get_template(template_name).origin.name
        return Path(origin).parent == _STOCK_WIDGETS

    def render(self, template_name, context, request=None):
        render = self._fast_templates().get(template_name)
        if render is None or request is not None or set(context) != {"widget"}:
            return super().render(template_name, context, request=request)
        return render(context["widget"]).strip()  # as Django's renderers do

    def _select(self, widget: dict) -> str:
        """django/forms/widgets/select.html, its options inline unless they have a template of their own."""
        out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_out(group_name)}">')
            for option in group_choices:
                out.append("\n  ")
                if option["template_name"] == SELECT_OPTION:
                    out.append(_option(option))
                else:
                    out.append(self.get_template(option["template_name"]).render({"widget": option}))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>\n")
        return "".join(out)


def field_row(field) -> SafeString:
    """One field's row: templates/includes/field.html in Python."""
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    errors = field.errors
    out = ['<div class="field', " field-error" if errors else "", " field-checkbox" if checkbox else "", '">\n  ']
    label_for = _out(field.id_for_label)
    if checkbox:
        out.append(f'\n    {_out(field)} <label for="{label_for}">{_out(field.label)}</label>\n  ')
    else:
        required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
        out.append(f'\n    <label for="{label_for}">{_out(field.label)}{required}</label>\n    {_out(field)}\n  ')
    out.append("\n  ")
    if field.help_text:
        out.append(f'<p class="help" id="{_out(field.auto_id)}_helptext">{_out(field.help_text)}</p>')
    out.append("\n  ")
    out.extend(f'<p class="error" role="alert">{_out(error)}</p>' for error in errors)
    out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped by _out)
