"""Form fields written in Python (neem/forms.py) give the markup of the templates they stand in for.

Every field of every form class of the project is rendered both ways, unbound and bound with values that
fail (so errors show), and the outputs must be the same, byte for byte: Django's stock widget templates
against `NeemFormRenderer`, and `templates/includes/field.html` against `{% field_row %}`.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from neem.forms import NeemFormRenderer, field_row

pytestmark = pytest.mark.django_db

STOCK = DjangoTemplates()
FAST = NeemFormRenderer()


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)) or "site-packages" in str(config.path):
            continue
        for name in ("forms", "forms_admin"):
            try:
                module = importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
            for _, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def instances(form_class) -> list[forms.BaseForm]:
    """The form unbound and bound with values that fail, where it can be made without arguments."""
    made = []
    for data in (None, {"amount": "-1x", "email": "not an e-mail", "date": "32.13.2020", "name": "<b>&\"'"}):
        try:
            made.append(form_class(data=data) if data is not None else form_class())
        except (TypeError, KeyError, AttributeError, ValueError):
            return made
    return made


FORMS = project_forms()


def test_the_project_has_forms_to_compare():
    assert len(FORMS) > 40


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_field_renders_as_the_templates_do(form_class):
    made = instances(form_class)
    if not made:
        pytest.skip("needs arguments to be made")
    for language in ("en", "ar"):
        with override(language):
            for form in made:
                form.is_bound and form.is_valid()
                for field in form:
                    form.renderer = STOCK
                    widget_by_template = str(field)
                    row_by_template = render_to_string("includes/field.html", {"field": field})
                    form.renderer = FAST
                    assert str(field) == widget_by_template, field.name
                    assert field_row(field) == row_by_template, field.name


class Everything(forms.Form):
    text = forms.CharField(help_text=mark_safe("<em>safe</em> help"), widget=forms.TextInput(attrs={"x": None}))
    lazy = forms.CharField(label=gettext_lazy("Note"), widget=forms.TextInput(attrs={"placeholder": "a<b"}))
    number = forms.DecimalField(required=False, localize=True)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    agree = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"checked": True, "off": False}))
    body = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("Group", [("b", "<b>"), ("c", "C")])])
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    radio = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect)
    file = forms.FileField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": "\u202e<script>",
            "lazy": "",
            "number": "12345.5",
            "day": "2026-11-30",
            "hidden": '"quoted"',
            "secret": "p&ss",
            "agree": "on",
            "body": "line\n<two>",
            "choice": "b",
            "many": ["1", "2"],
            "radio": "y",
        },
    ],
)
def test_values_attributes_and_groups_render_as_the_templates_do(data):
    form = Everything(data=data, initial={"day": datetime.date(2026, 1, 2), "number": Decimal("1234.5")})
    form.is_bound and form.is_valid()
    for field in form:
        form.renderer = STOCK
        expected = str(field), render_to_string("includes/field.html", {"field": field})
        form.renderer = FAST
        assert (str(field), field_row(field)) == expected, field.name


def test_the_project_renders_forms_with_the_python_widgets():
    assert isinstance(get_default_renderer(), NeemFormRenderer)
    assert "django/forms/widgets/text.html" in FAST._fast_templates()


def test_an_overridden_widget_template_is_rendered_as_it_says(tmp_path, settings):
    (tmp_path / "django" / "forms" / "widgets").mkdir(parents=True)
    (tmp_path / "django" / "forms" / "widgets" / "textarea.html").write_text("<textarea>mine</textarea>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    renderer = NeemFormRenderer()
    html = forms.CharField(widget=forms.Textarea).widget.render("body", "x", renderer=renderer)
    assert html == "<textarea>mine</textarea>"
    # The fast path is off for every template when one of the parts it is made of is overridden.
    assert renderer._fast_templates() == {}
