from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Round

SCORE_CHOICES = [
    (1, _("1 — not at all")),
    (2, _("2")),
    (3, _("3 — partly")),
    (4, _("4")),
    (5, _("5 — fully")),
]


class ScoresForm(forms.Form):
    """One required 1-5 choice per area of the round's questionnaire."""

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.TypedChoiceField(
                label=area.label_in(language),
                help_text=area.question_in(language),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )

    def scores(self) -> dict[int, int]:
        return {area.pk: self.cleaned_data[f"area_{area.pk}"] for area in self.areas}


class OpenRoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("When"), choices=Round.Kind.choices)
