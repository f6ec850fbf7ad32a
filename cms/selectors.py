"""Reads for the public pages: only live, public pages of one locale, stories only with consent."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    ConsentGrant,
    ConsentUse,
    NewsPage,
    StoryConsent,
    StoryPage,
    WorkshopPage,
    WorkshopRegistration,
)


def visible_stories(*, locale, region: int | None = None, sector: str | None = None):
    """Stories whose web-page consent holds today, newest first, with what their cards show."""
    qs = (
        StoryPage.objects.live()
        .public()
        .filter(locale=locale, consent__in=StoryConsent.objects.valid_for(ConsentUse.WEB_PAGE))
        .select_related("portrait", "region", "consent")
        .prefetch_related(Prefetch("consent__uses", queryset=ConsentGrant.objects.all()))
        .order_by("-first_published_at", "-pk")
    )
    if region:
        qs = qs.filter(region_id=region)
    if sector:
        qs = qs.filter(sector=sector)
    return qs


def _seats_taken_subquery():
    return Coalesce(
        Subquery(
            WorkshopRegistration.objects.filter(workshop_key=OuterRef("translation_key"), waiting_list=False)
            .order_by()
            .values("workshop_key")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def upcoming_workshops(*, locale, region: int | None = None):
    """Workshops from today on, soonest first, each with its seats taken (one query)."""
    qs = (
        WorkshopPage.objects.live()
        .public()
        .filter(locale=locale, date__gte=timezone.localdate())
        .select_related("region")
        .annotate(seats_taken_count=_seats_taken_subquery())
        .order_by("date", "start_time", "pk")
    )
    if region:
        qs = qs.filter(region_id=region)
    return qs


def seats_taken(workshop: WorkshopPage) -> int:
    """Seats taken in every language version of the workshop (waiting list not counted)."""
    annotated = getattr(workshop, "seats_taken_count", None)
    if annotated is not None:
        return annotated
    return WorkshopRegistration.objects.filter(workshop_key=workshop.translation_key, waiting_list=False).count()


def latest_news(*, locale):
    return NewsPage.objects.live().public().filter(locale=locale).select_related("image").order_by("-date", "-pk")
