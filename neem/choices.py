"""A faster `get_<field>_display()` for every model field with choices.

Django's own builds `dict(make_hashable(field.flatchoices))` on every call, and hashing each lazily translated
label translates it: a list page showing a stage and a language per row translated some 300 labels a request
(manage.py bench). Here the value-to-label mapping is built once per field (labels stay lazy, so the page's
language still decides) and only the one label shown is translated. Fields whose choices are a callable (e.g.
`neem.languages.language_choices`, which reads LANGUAGES) are cached the same way and forgotten when a setting
changes (override_settings in tests).

`install()` runs from `NeemConfig.ready()` and replaces only the methods Django generated (a model that defines
its own `get_<field>_display` keeps it).
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str

_CACHE_ATTR = "_neem_display_labels"


def _labels(field) -> dict:
    cached = getattr(field, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    labels = dict(field.flatchoices)  # hashes the values only: the labels stay lazy
    setattr(field, _CACHE_ATTR, labels)
    if isinstance(field.choices, CallableChoiceIterator):
        _callable.add(field)
    return labels


_callable: set = set()


@receiver(setting_changed)
def _forget_callable_choices(**kwargs) -> None:
    """Callable choices may read a setting (LANGUAGES): read them again after a change."""
    for field in list(_callable):
        if hasattr(field, _CACHE_ATTR):
            delattr(field, _CACHE_ATTR)
    _callable.clear()


def _display(self, field):
    value = getattr(self, field.attname)
    try:
        label = _labels(field).get(value, value)
    except TypeError:  # an unhashable value (a JSON list, say): Django's own way
        return Model._get_FIELD_display(self, field)
    return force_str(label, strings_only=True)


def install() -> int:
    """Point every Django-generated `get_<field>_display` at `_display`; returns how many were replaced."""
    replaced = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None) or not getattr(field, "concrete", False):
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod) and current.func is Model._get_FIELD_display:
                setattr(model, name, partialmethod(_display, field=field))
                replaced += 1
    return replaced
