from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.forms import DateInput
from coaching.models import CaseFile
from loans.models import LoanProduct
from neem.models import Region

from .models import CompanyStatus, SavingsEntry

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class PortfolioForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput, required=False)
    period_from = forms.DateField(
        label=_("Period from"),
        widget=DateInput,
        required=False,
        help_text=_("Repayment rate, write-offs and payouts count from this date to the as-of date."),
    )
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"), required=False)
    product = forms.ModelChoiceField(queryset=LoanProduct.objects.none(), label=_("Loan product"), required=False)
    adviser = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("Adviser"), required=False)

    def __init__(self, *args, regions, products, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["product"].queryset = products
        self.fields["adviser"].queryset = advisers

    @staticmethod
    def defaults() -> dict:
        as_of = timezone.localdate()
        return {"as_of": as_of, "period_from": as_of.replace(month=1, day=1)}

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of") or timezone.localdate()
        data["as_of"] = as_of
        data["period_from"] = data.get("period_from") or as_of.replace(month=1, day=1)
        if data["period_from"] > as_of:
            self.add_error("period_from", _("The period must start on or before the as-of date."))
        return data


class SavingsGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    cohort = forms.CharField(label=_("Cohort"), max_length=120, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class MemberForm(forms.Form):
    case = forms.ModelChoiceField(queryset=CaseFile.objects.none(), label=_("Participant"))
    loan_need = forms.DecimalField(
        label=_("Loan she needs"), min_value=Decimal("0"), help_text=_("The amount she means to borrow."), **AMOUNT
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: str(case.participant)


class SavingsEntryForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (SavingsEntry.Kind.CONTRIBUTION, _("She saved (contribution)")),
            (SavingsEntry.Kind.WITHDRAWAL, _("She took money out (withdrawal)")),
        ],
        widget=forms.RadioSelect,
        initial=SavingsEntry.Kind.CONTRIBUTION,
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), **AMOUNT)
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label=_("Receipt or reference"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.case_id, str(m.case.participant)) for m in members]


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    attended = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False, choices=()
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(m.pk, str(m.case.participant)) for m in members]


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date of the visit"), widget=DateInput, initial=timezone.localdate)
    company_status = forms.ChoiceField(label=_("The company is"), choices=CompanyStatus.choices)
    turnover = forms.DecimalField(label=_("Turnover per month"), min_value=Decimal("0"), required=False, **AMOUNT)
    profit = forms.DecimalField(label=_("Profit per month"), required=False, **AMOUNT)
    employees = forms.IntegerField(label=_("Employees (besides her)"), min_value=0, max_value=10000, required=False)
    household_income = forms.DecimalField(
        label=_("Household income per month"), min_value=Decimal("0"), required=False, **AMOUNT
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed on the statement."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
