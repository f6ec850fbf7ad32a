from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.forms import DateInput

from . import stripe_api


class PayForm(forms.Form):
    NEXT, OTHER = "next", "other"

    choice = forms.ChoiceField(label=_("What do you want to pay?"), widget=forms.RadioSelect)
    other_amount = forms.DecimalField(
        label=_("Another amount"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, currency: str, next_amount: Decimal | None, most: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency, self.next_amount, self.most = currency, next_amount, most
        choices = []
        if next_amount:
            choices.append(
                (
                    self.NEXT,
                    _("The next instalment: %(amount)s %(currency)s") % {"amount": next_amount, "currency": currency},
                )
            )
        choices.append((self.OTHER, _("Another amount")))
        self.fields["choice"].choices = choices
        self.fields["choice"].initial = choices[0][0]
        self.fields["other_amount"].help_text = _("In %(currency)s, at most %(most)s.") % {
            "currency": currency,
            "most": most,
        }

    def clean(self):
        data = super().clean()
        if data.get("choice") == self.NEXT:
            data["amount"] = self.next_amount
            return data
        amount = data.get("other_amount")
        if amount is None:
            if "other_amount" not in self.errors:
                self.add_error("other_amount", _("Write the amount you want to pay."))
            return data
        try:
            stripe_api.to_minor(amount, self.currency)
        except ValueError:
            self.add_error(
                "other_amount", _("Write a whole amount: %(currency)s has no decimals.") % {"currency": self.currency}
            )
            return data
        if amount > self.most:
            self.add_error(
                "other_amount",
                _("That is more than you owe (%(most)s %(currency)s).")
                % {"most": self.most, "currency": self.currency},
            )
            return data
        data["amount"] = amount
        return data


class RangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                self.add_error("end", _("The end must not be before the start."))
            elif data["end"] - data["start"] > timedelta(days=92):
                self.add_error("end", _("Choose at most three months."))
        return data

    @classmethod
    def from_query(cls, query):
        today = timezone.localdate().isoformat()
        return cls({"start": query.get("from") or today, "end": query.get("to") or query.get("from") or today})


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
