from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import statements


class ProgrammeChoice(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset=queryset, label=_("Programme"), **kwargs)


class ImportForm(forms.Form):
    programme = ProgrammeChoice(queryset=None)
    file = forms.FileField(
        label=_("Bank statement"),
        help_text=_("ISO 20022 camt.053 (XML) or the CSV described below; at most %(mb)s MB.")
        % {"mb": statements.MAX_BYTES // 1024 // 1024},
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > statements.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": statements.MAX_BYTES // 1024 // 1024}
            )
        return upload


class AssignForm(forms.Form):
    loan = forms.IntegerField(label=_("Loan"))
    note = forms.CharField(label=_("Why"), max_length=500)


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=500)


class PayoutAccountForm(forms.Form):
    holder_name = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(label=_("BIC (optional)"), max_length=11, required=False)


class PaymentFileForm(forms.Form):
    programme = ProgrammeChoice(queryset=None)
    execution_date = forms.DateField(label=_("Pay on"), widget=forms.DateInput(attrs={"type": "date"}))
    loans = forms.TypedMultipleChoiceField(label=_("Loans"), coerce=int, choices=())

    def __init__(self, *args, programmes, loans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]
        self.fields["execution_date"].initial = timezone.localdate()
        self.fields["loans"].choices = [(loan.pk, str(loan.pk)) for loan in loans]


class PeriodForm(forms.Form):
    programme = ProgrammeChoice(queryset=None)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), choices=[("sie", _("SIE 4")), ("csv", _("CSV"))])

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]

    def clean(self):
        from .accounting import check_period

        data = super().clean()
        if data.get("programme") and data.get("start") and data.get("end"):
            problem = check_period(data["programme"], start=data["start"], end=data["end"])
            if problem:
                self.add_error("end", problem)
        return data
