"""Forms of the public site (sign-up, story filters) and the image form that makes alt text required."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm
from wagtail.models import Locale

from coaching.models import ReferralSource
from coaching.normalize import normalize_phone
from neem.models import Region

from .models import Sector, current_privacy_notice

TIMESTAMP_SALT = "cms.signup.started"
BUILTIN_PRIVACY_VERSION = "builtin-1"

HEARD_FROM = [
    ("", _("Choose…")),
    (ReferralSource.EMPLOYMENT_SERVICE, _("the public employment service")),
    (ReferralSource.PARTNER, _("an association or partner organisation")),
    (ReferralSource.MUNICIPALITY, _("the municipality")),
    (ReferralSource.WORD_OF_MOUTH, _("a friend or family member")),
    (ReferralSource.WEB, _("the internet or social media")),
    (ReferralSource.OTHER, _("other")),
]


class ImageForm(BaseImageForm):
    """Every image needs a text alternative: the description is Wagtail's default alt text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].label = _("Alt text")
            self.fields["description"].help_text = _(
                "Describe what the image shows for people who cannot see it (required)."
            )


def new_timestamp() -> str:
    return signing.dumps(time.time(), salt=TIMESTAMP_SALT)


class SignUpForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=32,
        required=False,
        help_text=_("For example 070-123 45 67 or +46 70 123 45 67."),
    )
    preferred_language = forms.ChoiceField(label=_("Language we should write to you in"), choices=settings.LANGUAGES)
    region = forms.ModelChoiceField(
        label=_("Where do you live?"), queryset=Region.objects.none(), empty_label=_("Choose your region…")
    )
    heard_from = forms.ChoiceField(label=_("How did you hear about us?"), choices=HEARD_FROM)
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that Neem stores my details to contact me."),
        error_messages={"required": _("Tick the box to agree, or we cannot contact you.")},
    )
    waiting_list = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Spam traps: a field people never see, and the time the form was shown (signed).
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["region"].queryset = Region.objects.select_related("programme").order_by("programme", "name")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["consent"].widget.attrs["aria-describedby"] = "privacy-notice"
        locale = getattr(page, "locale", None) or Locale.get_active()
        self.privacy_notice = current_privacy_notice(locale)

    @classmethod
    def for_page(cls, page, request=None) -> SignUpForm:
        initial = {
            "preferred_language": get_language() or settings.LANGUAGE_CODE,
            "started": new_timestamp(),
        }
        region_id = getattr(page, "region_id", None)
        if region_id:
            initial["region"] = region_id
        if getattr(page, "is_full", False):
            initial["waiting_list"] = True
        return cls(page=page, initial=initial)

    @property
    def consent_wording(self) -> str:
        """The box she ticked and the notice beside it, as she read them (the active language), as plain text."""
        label = str(self.fields["consent"].label)
        if self.privacy_notice is None:
            return label
        return f"{label}\n\n{strip_tags(self.privacy_notice.text).strip()}"

    @property
    def consent_text_version(self) -> str:
        return self.privacy_notice.version if self.privacy_notice else BUILTIN_PRIVACY_VERSION

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not normalize_phone(phone):
            raise forms.ValidationError(_("This does not look like a phone number. Check it, or leave it empty."))
        return phone

    def clean_started(self) -> str:
        value = self.cleaned_data["started"]
        try:
            started = float(signing.loads(value, salt=TIMESTAMP_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("The form had expired. Please check it and send it again.")) from None
        if time.time() - started < settings.NEEM_SIGNUP_MIN_SECONDS:
            raise forms.ValidationError(_("The form was sent too quickly. Please check it and send it again."))
        return value


class StoryFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("All regions")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False)
