"""What every eraser receives: who is being erased, the words that identify her, and helpers to scrub rows.

Erasers write with `.update()` on the model's base manager: no `save()` side effects, no new history rows that
would carry her name again, and the immutable ledger's guard (on its default manager) is not in the way of its
free-text note — the only thing of a ledger entry erasure touches.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

ERASED = "[erased]"


def _phone_variants(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return []
    variants = {phone, digits, "+" + digits}
    if phone.startswith("+46") and len(digits) > 2:
        variants.add("0" + digits[2:])  # the Swedish national form
    return [v for v in variants if len(v) >= 6]


@dataclass
class ErasureContext:
    participant: object
    case_ids: list[int]
    user_id: int | None
    pseudonym: str
    terms: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    @classmethod
    def for_participant(cls, participant, *, pseudonym: str) -> ErasureContext:
        user = participant.user
        words = [
            participant.full_name,
            f"{participant.last_name} {participant.first_name}",
            participant.first_name,
            participant.last_name,
            participant.email,
            participant.email_normalized,
            *_phone_variants(participant.phone),
        ]
        if user is not None:
            words += [user.email, user.get_full_name(), user.first_name, user.last_name]
        # Longest first, so "Amal Yusuf" goes before "Amal"; very short words would eat other text.
        terms = sorted({w.strip() for w in words if w and len(w.strip()) >= 3}, key=len, reverse=True)
        return cls(
            participant=participant,
            case_ids=list(participant.cases.values_list("pk", flat=True)),
            user_id=participant.user_id,
            pseudonym=pseudonym,
            terms=terms,
        )

    # --- text --------------------------------------------------------------------------------------
    def scrub(self, text: str) -> str:
        if not text or not self.terms:
            return text
        pattern = re.compile("|".join(re.escape(t) for t in self.terms), re.IGNORECASE)
        return pattern.sub(ERASED, text)

    def scrub_value(self, value):
        """Strings, and the strings inside JSON values (dicts and lists), with her words replaced."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub(str(k)): self.scrub_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_value(v) for v in value]
        return value

    def mentions(self, value) -> bool:
        if value is None:
            return False
        text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
        return self.scrub(text) != text

    # --- rows --------------------------------------------------------------------------------------
    def scrub_rows(self, queryset: models.QuerySet, fields: list[str]) -> int:
        """Replace her words in these text or JSON fields of the rows; returns how many rows changed."""
        model = queryset.model
        if not self.terms:
            return 0
        # Let the database find the rows that mention her. JSON is searched as its stored text, for each word as
        # it is and as JSON escapes it (SQLite stores JSON ASCII-escaped: "Zoë" is "Zo\u00eb" there).
        condition, casts = Q(), {}
        for f in fields:
            if model._meta.get_field(f).get_internal_type() == "JSONField":
                casts[f"_{f}_text"] = Cast(f, models.TextField())
                column = f"_{f}_text"
            else:
                column = f
            for term in self.terms:
                for variant in {term, json.dumps(term)[1:-1]}:
                    condition |= Q(**{f"{column}__icontains": variant})
        queryset = queryset.annotate(**casts).filter(condition)
        changed = 0
        for row in queryset.values("pk", *fields):
            values = {f: self.scrub_value(row[f]) for f in fields if self.mentions(row[f])}
            if values:
                model._base_manager.filter(pk=row["pk"]).update(**values)
                changed += 1
        return changed

    def set_rows(self, queryset: models.QuerySet, **values) -> int:
        """Overwrite fields of every row (e.g. a note's text), whatever they say."""
        return queryset.model._base_manager.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(**values)

    def count(self, part: str, rows: int) -> None:
        self.summary[part] = self.summary.get(part, 0) + rows


def history_of(model) -> type[models.Model] | None:
    """The django-simple-history model of a model, if it has one."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


TEXT_TYPES = ("CharField", "TextField", "JSONField", "EmailField", "SlugField")


def text_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.get_internal_type() in TEXT_TYPES and not f.primary_key and not f.is_relation
    ]


def scrub_model(context: ErasureContext, model, lookup: str = "case_id__in", keys=None, fields=None) -> int:
    """Replace her words in every text field of the model's rows (and their history rows) that hang on her."""
    keys = context.case_ids if keys is None else keys
    fields = fields or text_fields(model)
    rows = context.scrub_rows(model._base_manager.filter(**{lookup: keys}), fields)
    historical = history_of(model)
    if historical is not None:
        rows += context.scrub_rows(
            historical._base_manager.filter(**{lookup: keys}), [*fields, "history_change_reason"]
        )
    return rows


def set_model(context: ErasureContext, model, lookup: str = "case_id__in", keys=None, **values) -> int:
    """Overwrite fields (e.g. a note's text) of the model's rows that hang on her, and of their history rows."""
    keys = context.case_ids if keys is None else keys
    rows = context.set_rows(model._base_manager.filter(**{lookup: keys}), **values)
    historical = history_of(model)
    if historical is not None:
        rows += context.set_rows(historical._base_manager.filter(**{lookup: keys}), **values)
    return rows


def rows(queryset, *fields) -> list[dict]:
    """For exporters: plain values of a queryset."""
    return list(queryset.values(*fields))
