from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neem.models import Region

from .models import NextAction, Note, Outcome, Participant, WithdrawalReason
from .normalize import normalize_phone

PARTICIPANT_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "gender",
    "country_of_birth",
    "foreign_background",
    "residence_permit",
    "languages",
    "preferred_language",
    "needs_interpreter",
    "education",
    "employment_status",
    "months_unemployed",
    "household_adults",
    "household_children",
    "household_income",
    "referral_source",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParticipantForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("The person has consented to the processing of her data (consent text version 1)."),
        required=False,
    )

    class Meta:
        model = Participant
        fields = PARTICIPANT_FIELDS
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, require_consent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_consent = require_consent
        if not require_consent:
            del self.fields["consent"]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not normalize_phone(phone):
            raise forms.ValidationError(_("This does not look like a phone number. Example: 070-123 45 67."))
        return phone

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born and born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean(self):
        data = super().clean()
        if self.require_consent and not data.get("consent"):
            self.add_error("consent", _("Record the person's consent before registering her."))
        if not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Give an e-mail address or a phone number so the adviser can reach her."))
        return data

    def participant_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PARTICIPANT_FIELDS}
        if self.require_consent:
            data["consent_given_at"] = timezone.now()
            data["consent_text_version"] = "1"
        return data


class NewParticipantForm(ParticipantForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    create_anyway = forms.BooleanField(
        required=False, label=_("This is a different person: register her anyway."), widget=forms.CheckboxInput
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, require_consent=True, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()
        if regions is not None and len(regions) == 1:
            self.fields["region"].initial = regions[0].pk
            self.fields["region"].empty_label = None
        self.order_fields(["region", *PARTICIPANT_FIELDS, "consent", "create_anyway"])


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *WithdrawalReason.choices], required=False)


class AssignForm(forms.Form):
    adviser = forms.ModelChoiceField(queryset=None, label=_("Adviser"), required=False, empty_label=_("— unassigned —"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def __init__(self, *args, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text", "confidential"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class NextActionForm(forms.ModelForm):
    class Meta:
        model = NextAction
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput()}

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate() - timezone.timedelta(days=1):
            raise forms.ValidationError(_("The due date is in the past."))
        return due


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    adviser = forms.ChoiceField(label=_("Adviser"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    include_closed = forms.BooleanField(label=_("Include closed and withdrawn"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("next action due")),
            ("name", _("name (A–Z)")),
            ("-name", _("name (Z–A)")),
            ("stage", _("stage")),
            ("updated", _("recently updated")),
            ("opened", _("recently opened")),
        ],
    )

    def __init__(self, *args, regions, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Stage

        self.fields["stage"].choices = [("", _("all open stages")), *Stage.choices]
        self.fields["region"].choices = [("", _("all regions"))] + [(r.pk, r.name) for r in regions]
        self.fields["adviser"].choices = [("", _("all advisers")), ("none", _("unassigned"))] + [
            (str(a.pk), str(a)) for a in advisers
        ]
