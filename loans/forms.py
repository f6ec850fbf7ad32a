from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.forms import DateInput

from .models import ApplicationStatus, LoanProduct, Vote

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class ApplicationForm(forms.Form):
    product = forms.ModelChoiceField(queryset=LoanProduct.objects.none(), label=_("Loan product"))
    amount = forms.DecimalField(label=_("Amount"), **AMOUNT)
    term = forms.IntegerField(label=_("Number of instalments"), min_value=1, max_value=520)
    purpose = forms.CharField(
        label=_("What the loan is for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    assessment = forms.CharField(
        label=_("Your assessment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Repayment capacity, the plan's strengths and risks, what the committee should know."),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = LoanProduct.objects.filter(programme=programme, active=True)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationStatus.APPROVED, _("approved")),
            (ApplicationStatus.APPROVED_WITH_CHANGES, _("approved with changes")),
            (ApplicationStatus.REJECTED, _("rejected")),
        ],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(label=_("Approved amount (if changed)"), required=False, **AMOUNT)
    term = forms.IntegerField(label=_("Approved number of instalments (if changed)"), required=False, min_value=1)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DisburseForm(forms.Form):
    on = forms.DateField(label=_("Paid out on"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(
        label=_("Method"), choices=[("bank transfer", _("bank transfer")), ("cash", _("cash")), ("other", _("other"))]
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A payout cannot be recorded in the future."))
        return on


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), **AMOUNT)
    on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            ("bank transfer", _("bank transfer")),
            ("cash", _("cash")),
            ("card", _("card")),
            ("other", _("other")),
        ],
    )
    reference = forms.CharField(
        label=_("Bank or receipt reference"),
        max_length=120,
        required=False,
        help_text=_("If given, the same reference is never recorded twice."),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A repayment cannot be recorded in the future."))
        return on


class RescheduleForm(forms.Form):
    term = forms.IntegerField(label=_("New number of instalments"), min_value=1, max_value=520)
    start_date = forms.DateField(label=_("Counted from"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the agreement and I accept it."))
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CalculatorForm(forms.Form):
    product = forms.ModelChoiceField(queryset=LoanProduct.objects.none(), label=_("Loan product"))
    amount = forms.DecimalField(label=_("Amount"), **AMOUNT)
    term = forms.IntegerField(label=_("Number of instalments"), min_value=1, max_value=520)
    start_date = forms.DateField(label=_("Paid out on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products

    def clean(self):
        data = super().clean()
        product, amount, term = data.get("product"), data.get("amount"), data.get("term")
        if product and amount is not None and not product.min_amount <= amount <= product.max_amount:
            self.add_error(
                "amount",
                _("Between %(min)s and %(max)s for this product.")
                % {"min": product.min_amount, "max": product.max_amount},
            )
        if product and term is not None and not product.min_term <= term <= product.max_term:
            self.add_error(
                "term",
                _("Between %(min)s and %(max)s for this product.") % {"min": product.min_term, "max": product.max_term},
            )
        return data
