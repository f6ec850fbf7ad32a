"""The public site: page types, story consents and the privacy notice (snippets), workshop registrations.

Pages are translatable (one tree per locale, linked by `translation_key`). What belongs to the person
or the event rather than to one language version — consents, registrations — is keyed on the
translation key, so the English and the Swedish page of one workshop share their seats.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import RICH_TEXT_FEATURES, ContentStreamBlock


class Sector(models.TextChoices):
    FOOD = "food", _("food and catering")
    BEAUTY = "beauty", _("hair and beauty")
    TEXTILES = "textiles", _("textiles and fashion")
    RETAIL = "retail", _("shop and trade")
    CARE = "care", _("care and health")
    CLEANING = "cleaning", _("cleaning and services")
    CRAFTS = "crafts", _("crafts and design")
    DIGITAL = "digital", _("IT and media")
    OTHER = "other", _("other")


def _image_fk(verbose_name):
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


class PublicPage(Page):
    """What every public page has: a short introduction used as the lead and the fallback description."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True

    og_type = "website"

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    @property
    def og_image(self):
        return None


# --- Home, content, regions ----------------------------------------------------------------------


class HomePage(Page):
    """The front page of one language: hero, call to action, latest stories, next workshops."""

    intro = models.CharField(
        _("hero text"), max_length=300, blank=True, help_text=_("One or two sentences under the big heading.")
    )
    hero_heading = models.CharField(
        _("hero heading"), max_length=120, blank=True, help_text=_("Leave empty to use the page title.")
    )
    hero_image = _image_fk(_("hero image"))
    cta_label = models.CharField(_("call to action: button label"), max_length=60, blank=True)
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("call to action: page"),
    )
    body = RichTextField(_("about the programme"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("intro"), FieldPanel("hero_image")], heading=_("Hero")),
        MultiFieldPanel([FieldPanel("cta_label"), FieldPanel("cta_page")], heading=_("Call to action")),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.RegionPage",
        "cms.WorkshopIndexPage",
        "cms.InterestPage",
        "cms.StoryIndexPage",
        "cms.NewsIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    @property
    def og_image(self):
        return self.hero_image

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = selectors.visible_stories(locale=self.locale)[:3]
        context["workshops"] = selectors.upcoming_workshops(locale=self.locale)[:3]
        context["news"] = selectors.latest_news(locale=self.locale)[:3]
        return context


class StandardPage(PublicPage):
    """An ordinary content page: about the programme, how it works, for partners."""

    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*PublicPage.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("content page")


class RegionPage(PublicPage):
    """One local platform of the programme: where it is, its partners, its workshops and role models."""

    region = models.ForeignKey(
        "neem.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region of the programme")
    )
    image = _image_fk(_("image"))
    contact = RichTextField(_("contact"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("region"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("contact"),
    ]
    search_fields = [*PublicPage.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("region page")

    @property
    def og_image(self):
        return self.image

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["workshops"] = selectors.upcoming_workshops(locale=self.locale, region=self.region_id)
        context["stories"] = selectors.visible_stories(locale=self.locale, region=self.region_id)[:4]
        return context


# --- Workshops and sign-up -----------------------------------------------------------------------


class SignUpPageMixin:
    """A page that carries the sign-up form: GET shows it, POST signs the visitor up."""

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from .views import sign_up

            return sign_up(request, page=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .forms import SignUpForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = SignUpForm.for_page(self, request)
        return context


class WorkshopIndexPage(PublicPage):
    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.WorkshopPage"]

    class Meta:
        verbose_name = _("workshop list")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["workshops"] = selectors.upcoming_workshops(locale=self.locale)
        return context


class WorkshopPage(SignUpPageMixin, PublicPage):
    """An information workshop where people meet the programme; visitors sign up on the page."""

    region = models.ForeignKey(
        "neem.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Sign-ups go to this region's queue."),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("E.g. the employment office."))
    address = models.CharField(_("address"), max_length=250, blank=True)
    video_url = models.URLField(_("video link"), blank=True, help_text=_("For a workshop held online."))
    language = models.CharField(
        _("language of the workshop"), max_length=10, choices=ALL_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    capacity = models.PositiveIntegerField(_("seats"), help_text=_("How many people can come."))
    waiting_list = models.BooleanField(_("offer a waiting list when full"), default=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldPanel("place"),
                FieldPanel("address"),
                FieldPanel("video_url"),
                FieldPanel("language"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*PublicPage.search_fields, index.SearchField("place"), index.FilterField("date")]
    parent_page_types = ["cms.WorkshopIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("information workshop")
        verbose_name_plural = _("information workshops")

    def clean(self):
        super().clean()
        errors = {}
        if not self.place and not self.video_url:
            errors["place"] = _("Give the place or a video link.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The workshop must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @cached_property
    def seats_taken(self) -> int:
        from .selectors import seats_taken

        return seats_taken(self)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def open_for_sign_up(self) -> bool:
        return not self.is_past and (not self.is_full or self.waiting_list)


class InterestPage(SignUpPageMixin, PublicPage):
    """'I am interested': the sign-up form without a workshop; the person goes to the region's queue."""

    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("“I am interested” page")


class WorkshopRegistration(models.Model):
    """A person's seat (or waiting-list place) at a workshop, shared by the workshop's translations."""

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="registrations")
    workshop_key = models.UUIDField(editable=False, db_index=True)
    participant = models.ForeignKey(
        "coaching.Participant", on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    waiting_list = models.BooleanField(_("on the waiting list"), default=False)
    language = models.CharField(_("language of the sign-up"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        verbose_name = _("workshop registration")
        verbose_name_plural = _("workshop registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop_key", "participant"], name="one_registration_per_workshop")
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.workshop}"

    def save(self, *args, **kwargs):
        self.workshop_key = self.workshop.translation_key
        super().save(*args, **kwargs)


# --- Role-model stories and their consent ---------------------------------------------------------


class ConsentUse(models.TextChoices):
    WEB_PAGE = "web_page", _("the story on the web site")
    PHOTO = "photo", _("her photo")
    NAME = "name", _("her real name")


class StoryConsentQuerySet(models.QuerySet):
    def valid_for(self, use: str, today: dt.date | None = None):
        today = today or timezone.localdate()
        grants = ConsentGrant.objects.filter(use=use, expires_on__gt=today).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
        )
        return self.filter(pk__in=grants.values("consent_id"))


@register_snippet
class StoryConsent(ClusterableModel):
    """The role model's consent to publish her story, recorded per use, each with an expiry.

    A story is on the site only while its web-page consent holds: the check runs on every request,
    so a withdrawal or an expiry takes it off at once, in every language.
    """

    person_name = models.CharField(
        _("person"), max_length=200, help_text=_("Her full name, for the record; not shown on the site.")
    )
    case = models.ForeignKey(
        "coaching.CaseFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case number"),
        help_text=_("The number of her case in Neem, if she is a participant (from the case page's address)."),
    )
    given_on = models.DateField(_("consent given on"), default=timezone.localdate)
    record = models.CharField(
        _("where the signed consent is kept"), max_length=250, blank=True, help_text=_("E.g. 'Signed form, binder 3'.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoryConsentQuerySet.as_manager()

    panels = [
        FieldPanel("person_name"),
        FieldPanel("case", widget=forms.NumberInput),
        FieldPanel("given_on"),
        FieldPanel("record"),
        InlinePanel("uses", heading=_("What she agreed to"), label=_("use"), min_num=1),
    ]

    class Meta:
        verbose_name = _("story consent")
        verbose_name_plural = _("story consents")
        ordering = ["person_name"]

    def __str__(self) -> str:
        return self.person_name

    def allows(self, use: str, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return any(grant.use == use and grant.is_valid(today) for grant in self.uses.all())


class ConsentGrant(Orderable):
    consent = ParentalKey(StoryConsent, on_delete=models.CASCADE, related_name="uses")
    use = models.CharField(_("use"), max_length=20, choices=ConsentUse.choices)
    expires_on = models.DateField(_("expires on"), help_text=_("From this day on the consent no longer holds."))
    withdrawn_on = models.DateField(
        _("withdrawn on"), null=True, blank=True, help_text=_("Fill in when she withdraws; the use stops at once.")
    )

    panels = [FieldPanel("use"), FieldPanel("expires_on"), FieldPanel("withdrawn_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("consented use")

    def __str__(self) -> str:
        return f"{self.get_use_display()} ({self.expires_on})"

    def is_valid(self, today: dt.date) -> bool:
        return self.expires_on > today and (self.withdrawn_on is None or self.withdrawn_on > today)


class StoryIndexPage(PublicPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StoryPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("story list")

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .forms import StoryFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = StoryFilterForm(request.GET or None)
        region = sector = None
        if form.is_valid():
            region = form.cleaned_data.get("region")
            sector = form.cleaned_data.get("sector") or None
        context["filter_form"] = form
        context["stories"] = selectors.visible_stories(
            locale=self.locale, region=region.pk if region else None, sector=sector
        )
        return context


class StoryPage(PublicPage):
    """A woman entrepreneur's story, told to inspire. Shown only while her consent holds."""

    alias = models.CharField(
        _("name on the site"),
        max_length=100,
        help_text=_("A first name or an alias; her real name is shown only with her consent to it."),
    )
    real_name = models.CharField(_("real name"), max_length=150, blank=True)
    portrait = _image_fk(_("portrait"))
    business = models.CharField(_("business"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    region = models.ForeignKey(
        "neem.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("region")
    )
    quote = models.TextField(_("quote"), max_length=400, blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("story"), blank=True)
    consent = models.ForeignKey(
        StoryConsent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
        verbose_name=_("consent"),
        help_text=_("Without a valid consent to the web page, the story is not shown."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("alias"), FieldPanel("real_name"), FieldPanel("portrait"), FieldPanel("consent")],
            heading=_("The person"),
        ),
        FieldPanel("business"),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("region")]),
        FieldPanel("intro"),
        FieldPanel("quote"),
        FieldPanel("body"),
    ]
    search_fields = [
        *PublicPage.search_fields,
        index.SearchField("business"),
        index.SearchField("quote"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    og_type = "article"

    class Meta:
        verbose_name = _("role-model story")
        verbose_name_plural = _("role-model stories")

    def allows(self, use: str) -> bool:
        return self.consent is not None and self.consent.allows(use)

    @property
    def is_publishable(self) -> bool:
        return self.allows(ConsentUse.WEB_PAGE)

    @property
    def display_name(self) -> str:
        if self.real_name and self.allows(ConsentUse.NAME):
            return self.real_name
        return self.alias

    @property
    def shown_portrait(self):
        return self.portrait if self.allows(ConsentUse.PHOTO) else None

    @property
    def og_image(self):
        return self.shown_portrait

    def serve(self, request, *args, **kwargs):
        if not self.is_publishable and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_publishable else []


# --- News ------------------------------------------------------------------------------------------


class NewsIndexPage(PublicPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("news list")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["news"] = Paginator(selectors.latest_news(locale=self.locale), 10).get_page(request.GET.get("page"))
        return context


class NewsPage(PublicPage):
    date = models.DateField(_("date"), default=timezone.localdate)
    image = _image_fk(_("image"))
    body = StreamField(ContentStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*PublicPage.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    og_type = "article"

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")

    @property
    def og_image(self):
        return self.image


# --- Privacy notice --------------------------------------------------------------------------------


@register_snippet
class PrivacyNotice(TranslatableMixin, models.Model):
    """The text shown next to the consent box of the sign-up form; its version is stored with the consent."""

    version = models.CharField(_("version"), max_length=20, help_text=_("Raise it whenever the text changes."))
    text = RichTextField(_("text"), features=["bold", "italic", "link", "ul"])
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("version"), FieldPanel("text")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"{self.version} ({self.locale})"


def current_privacy_notice(locale) -> PrivacyNotice | None:
    notices = PrivacyNotice.objects.order_by("-created_at", "-pk")
    return (
        notices.filter(locale=locale).first() or notices.filter(Q(locale__language_code=settings.LANGUAGE_CODE)).first()
    )
