from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Document, ReminderPreference
from .services import ALLOWED_EXTENSIONS


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Her e-mail address"))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=Document.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, photo (JPG, PNG, HEIC), Word, Excel or OpenDocument. At most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000})
    )


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["email", "sms"]


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CheckInForm(forms.Form):
    company_running = forms.ChoiceField(label=_("Is your company running?"), choices=YES_NO, widget=forms.RadioSelect)
    employed = forms.ChoiceField(label=_("Do you have a job?"), choices=YES_NO, widget=forms.RadioSelect)
    studying = forms.ChoiceField(label=_("Do you study?"), choices=YES_NO, widget=forms.RadioSelect)
    other = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
