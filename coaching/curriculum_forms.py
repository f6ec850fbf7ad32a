"""Forms for the module pages, the curriculum editor, sessions and mentoring."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .translated import language_codes


def language_name(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))


class ChecklistForm(forms.Form):
    """One checkbox and one note per checklist item."""

    def __init__(self, *args, progress, items, checks, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for item in items:
            check = checks.get(item.pk)
            tick = forms.BooleanField(label=item.display_text, required=False, initial=check is not None)
            note = forms.CharField(
                label=_("Note on “%(item)s”") % {"item": item.display_text},
                required=False,
                max_length=1000,
                initial=check.note if check else "",
            )
            tick.disabled = note.disabled = disabled
            self.fields[f"item_{item.pk}"] = tick
            self.fields[f"note_{item.pk}"] = note
            self.rows.append({"item": item, "check": check})

    def rows_with_fields(self):
        for row in self.rows:
            pk = row["item"].pk
            yield {**row, "tick": self[f"item_{pk}"], "note": self[f"note_{pk}"]}

    def ticks(self) -> dict[int, tuple[bool, str]]:
        return {
            row["item"].pk: (
                bool(self.cleaned_data[f"item_{row['item'].pk}"]),
                self.cleaned_data[f"note_{row['item'].pk}"],
            )
            for row in self.rows
        }


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (needed if an optional item is not ticked)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class ReturnForm(forms.Form):
    missing = forms.TypedMultipleChoiceField(
        label=_("What is missing"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("What she needs to work on"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(item.pk, item.display_text) for item in items]


# --- Curriculum editor ---------------------------------------------------------------------------


class TranslatedForm(forms.Form):
    """Adds `<name>_<language>` fields for each name in `translated` and gathers them back into dicts."""

    translated: dict[str, dict] = {}

    def __init__(self, *args, initial_translations: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_translations = initial_translations or {}
        fields = {}
        for name, options in self.translated.items():
            for index, code in enumerate(language_codes()):
                field_class = options.get("field", forms.CharField)
                fields[f"{name}_{code}"] = field_class(
                    label=f"{options['label']} ({language_name(code)})",
                    required=options.get("required", False) and index == 0,
                    max_length=options.get("max_length", 300),
                    widget=options.get("widget", forms.TextInput)(),
                    initial=(initial_translations.get(name) or {}).get(code, ""),
                )
        self.fields = {**fields, **self.fields}

    def translations(self, name: str) -> dict:
        return {code: self.cleaned_data.get(f"{name}_{code}", "") for code in language_codes()}


class ModuleForm(TranslatedForm):
    translated = {
        "title": {"label": _("Title"), "required": True, "max_length": 200},
        "description": {
            "label": _("Description"),
            "max_length": 5000,
            "widget": lambda: forms.Textarea(attrs={"rows": 3}),
        },
    }
    mandatory = forms.BooleanField(label=_("Mandatory: must be approved before the business plan"), required=False)
    duration_days = forms.IntegerField(label=_("Usual time to complete (days)"), min_value=1, max_value=365, initial=14)


class ItemForm(TranslatedForm):
    translated = {"text": {"label": _("Checklist item"), "max_length": 500}}
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BaseItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.initial or []):
            kwargs["initial_translations"] = {"text": self.initial[index].get("text", {})}
        return kwargs


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True, can_order=True)


RESOURCE_EXTENSIONS = ("pdf", "docx", "odt", "pptx", "odp", "xlsx", "ods", "txt", "png", "jpg", "jpeg", "mp3", "mp4")


class ResourceForm(TranslatedForm):
    translated = {"title": {"label": _("Title"), "required": True, "max_length": 200}}
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("or a file"), required=False)

    def clean_file(self):
        """Course material only: a size limit and the kinds of file people read, never a page or a script
        (files under MEDIA_URL are served from Neem's own origin)."""
        from pathlib import PurePath

        from django.conf import settings

        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        limit = settings.NEEM_CURRICULUM_FILE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large. The limit is %(limit)s MB.") % {"limit": limit // 1024 // 1024}
            )
        extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
        if extension not in RESOURCE_EXTENSIONS:
            raise forms.ValidationError(
                _("This kind of file cannot be uploaded. Use one of: %(kinds)s.")
                % {"kinds": ", ".join(RESOURCE_EXTENSIONS)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            self.add_error("url", _("Give a link or upload a file."))
        return data


# --- Sessions ------------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MentorMeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    note = forms.CharField(
        label=_("Short note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SessionForm(forms.ModelForm):
    region = forms.ModelChoiceField(queryset=None, label=_("Region"))

    class Meta:
        from .session_models import Session

        model = Session
        fields = [
            "region",
            "kind",
            "topic",
            "module",
            "cohort",
            "case",
            "starts_at",
            "duration_minutes",
            "place",
            "video_url",
            "adviser",
        ]
        widgets = {"starts_at": DateTimeInput()}
        field_classes = {"video_url": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, regions, **kwargs):
        from django.contrib.auth import get_user_model

        from neem.models import Role

        from .curriculum_models import Module
        from .models import CaseFile
        from .session_models import Cohort

        super().__init__(*args, **kwargs)
        region_ids = [r.pk for r in regions]
        self.fields["region"].queryset = regions
        if len(region_ids) == 1:
            self.fields["region"].initial = region_ids[0]
        self.fields["cohort"].queryset = Cohort.objects.filter(region__in=region_ids)
        self.fields["case"].queryset = (
            CaseFile.objects.filter(region__in=region_ids, state__in=["intake", "coaching", "business_plan"])
            .select_related("participant")
            .order_by("participant__last_name")
        )
        self.fields["adviser"].queryset = (
            get_user_model()
            .objects.filter(memberships__region__in=region_ids, memberships__role__in=[Role.ADVISER, Role.REGION_LEAD])
            .distinct()
        )
        programmes = {r.programme_id for r in regions}
        self.fields["module"].queryset = Module.objects.filter(
            curriculum__programme__in=programmes, curriculum__published_at__isnull=False
        ).select_related("curriculum")
        self.fields["module"].label_from_instance = lambda m: f"{m.display_title} (v{m.curriculum.version})"
        self.fields["case"].label_from_instance = lambda c: c.participant.full_name
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "individual" and not data.get("case"):
            self.add_error("case", _("Choose the participant of an individual session."))
        if not data.get("place") and not data.get("video_url"):
            self.add_error("place", _("Give a place or a video link."))
        return data


class CohortForm(forms.Form):
    region = forms.ModelChoiceField(queryset=None, label=_("Region"))
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    cases = forms.TypedMultipleChoiceField(
        label=_("Participants"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, regions, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["cases"].choices = [(c.pk, f"{c.participant.full_name} ({c.region})") for c in cases]
