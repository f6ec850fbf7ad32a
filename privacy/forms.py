from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentText


class ConsentForm(forms.Form):
    text = forms.ModelChoiceField(
        queryset=ConsentText.objects.none(),
        label=_("Consent text (purpose, version, language)"),
        help_text=_("She has read this text, in this language, and agrees."),
    )

    def __init__(self, *args, texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if texts is not None:
            self.fields["text"].queryset = texts


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. her written request of a date, and how her identity was checked."),
    )
    confirm = forms.CharField(
        label=_("Type her full name to confirm"),
        max_length=210,
        help_text=_("Erasure cannot be undone: her name, contact details, notes, messages and documents are gone."),
    )
