from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .importer import FIELDS, MAX_BYTES
from .kinds import kind_choices
from .models import Indicator
from .selectors import Filters, Lens, advisers_for, cohorts_for, programmes_for, regions_for


class FiltersForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, required=False, label=_("Programme"), empty_label=None)
    region = forms.ModelChoiceField(queryset=None, required=False, label=_("Region"), empty_label=_("all"))
    cohort = forms.ModelChoiceField(queryset=None, required=False, label=_("Cohort"), empty_label=_("all"))
    adviser = forms.ModelChoiceField(queryset=None, required=False, label=_("Adviser"), empty_label=_("all"))
    opened_from = forms.DateField(
        required=False, label=_("Opened from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_to = forms.DateField(required=False, label=_("Opened until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, lens: Lens, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_for(user)
        if self.fields["programme"].queryset.count() < 2:
            del self.fields["programme"]
        self.fields["region"].queryset = regions_for(lens)
        self.fields["cohort"].queryset = cohorts_for(lens)
        if lens.anonymised:
            del self.fields["adviser"]  # an evaluator sees no one's name
        else:
            self.fields["adviser"].queryset = advisers_for(lens)

    def clean(self):
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            region=data["region"].pk if data.get("region") else None,
            cohort=data["cohort"].pk if data.get("cohort") else None,
            adviser=data["adviser"].pk if data.get("adviser") else None,
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
        )


class IndicatorForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("What is counted"), choices=kind_choices)

    class Meta:
        model = Indicator
        fields = ["kind", "label", "unit", "baseline", "target_min", "target_max", "lower_is_better", "order", "active"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of participants"),
        help_text=_("CSV (comma or semicolon) or XLSX, at most 2 MB; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class MappingForm(forms.Form):
    """Which column of the file holds each field."""

    allow_duplicates = forms.BooleanField(
        required=False,
        label=_("I have checked the possible duplicates: import them as new people"),
    )

    def __init__(self, *args, header: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(str(i), h) for i, h in enumerate(header)]
        mapped = {}
        for code, label, required in FIELDS:
            guess = initial_mapping.get(code)
            mapped[code] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                initial="" if guess is None else str(guess),
            )
        self.fields = {**mapped, **self.fields}

    def mapping(self) -> dict[str, int | None]:
        return {
            code: (int(self.cleaned_data[code]) if self.cleaned_data.get(code) not in (None, "") else None)
            for code, _label, _required in FIELDS
        }
