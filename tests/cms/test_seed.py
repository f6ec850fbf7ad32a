"""`seed_demo` builds the public site in English and Swedish (its front door in every language), and can run twice."""

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
    # English and Swedish throughout; the home page, the sign-up and the workshops in Danish, Vietnamese, Arabic.
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == ["ar", "da", "en", "sv", "vi"]
    assert RegionPage.objects.count() == 6
    assert WorkshopPage.objects.count() == 4 + 3
    assert StoryPage.objects.count() == 8
    for page in Page.objects.live().filter(depth__gt=1).specific():
        assert client.get(page.url, HTTP_HOST="neem.example:8123").status_code == 200, page.url
    for code, slug in (("ar", "ana-muhtamma"), ("vi", "toi-quan-tam"), ("da", "jeg-er-interesseret")):
        response = client.get(f"/{code}/{slug}/", HTTP_HOST="neem.example:8123")
        assert response.status_code == 200, code
        assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in response.content.decode()
