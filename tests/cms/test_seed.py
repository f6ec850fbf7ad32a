"""`seed_demo` builds the public site in English and Swedish, and can run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import HomePage, RegionPage, StoryPage, WorkshopPage

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_site_and_is_safe_to_run_twice(client):
    call_command("seed_demo", quiet=True)
    counts = Page.objects.count()
    call_command("seed_demo", quiet=True)

    assert Page.objects.count() == counts
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == ["en", "sv"]
    assert RegionPage.objects.count() == 6
    assert WorkshopPage.objects.count() == 4
    assert StoryPage.objects.count() == 8
    for page in Page.objects.live().filter(depth__gt=1).specific():
        assert client.get(page.url, HTTP_HOST="neem.example:8123").status_code == 200, page.url
