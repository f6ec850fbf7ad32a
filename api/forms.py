from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from neem.models import Programme

from . import services
from .models import Scope


class TokenForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the employment service.")
    )
    user = forms.ModelChoiceField(
        queryset=None,
        label=_("Acts as"),
        help_text=_("The token sees and does exactly what this staff member's pages allow."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=services.MAX_DAYS, initial=services.DEFAULT_DAYS
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].empty_label = None
        users = get_user_model().objects.none()
        for programme in programmes:
            users = users | services.token_users(programme)
        self.fields["user"].queryset = users.distinct()
