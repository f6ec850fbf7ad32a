"""Languages, URLs, search and what search engines and link previews read."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from cms.forms import ImageForm
from cms.models import StoryPage

pytestmark = pytest.mark.django_db
Image = get_image_model()


def test_public_pages_have_a_url_per_language(client, workshop, workshop_sv):
    assert workshop.url == "/en/workshops/kista/"
    assert workshop_sv.url == "/sv/informationstraffar/kista/"
    html = client.get(workshop_sv.url).content.decode()
    assert '<html lang="sv" dir="ltr">' in html
    assert "Anmäl dig till träffen" in html
    assert "Förnamn" in html


def test_the_root_sends_visitors_to_their_language(client, home, home_sv):
    assert client.get("/")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sv")["Location"] == "/sv/"


def test_staff_urls_have_no_language_prefix(client, home):
    assert reverse("coaching:caseload") == "/cases/"
    assert reverse("account_login") == "/accounts/login/"
    assert client.get("/en/cases/").status_code == 404


def test_the_language_switcher_links_to_the_same_page_in_the_other_language(client, workshop, workshop_sv):
    html = client.get(workshop.url).content.decode()

    assert f'href="{workshop_sv.url}" lang="sv" hreflang="sv"' in html
    assert f'href="{workshop.url}" lang="en" hreflang="en" aria-current="true"' in html


def test_a_page_without_translation_links_to_the_other_languages_home(client, workshop, home_sv):
    html = client.get(workshop.url).content.decode()

    assert f'href="{home_sv.url}" lang="sv"' in html


def test_pages_carry_meta_description_and_open_graph_tags(client, workshop, workshop_sv):
    html = client.get(workshop.url).content.decode()

    assert '<meta name="description" content="Meet the programme in Kista.">' in html
    assert '<meta property="og:title" content="Information workshop in Kista">' in html
    assert '<meta property="og:url" content="http://testserver/en/workshops/kista/">' in html
    assert '<link rel="alternate" hreflang="sv" href="http://testserver/sv/informationstraffar/kista/">' in html


def test_the_page_has_one_h1_a_skip_link_and_labelled_fields(client, workshop):
    html = client.get(workshop.url).content.decode()

    assert html.count("<h1") == 1
    assert 'href="#main"' in html
    for name in ["first_name", "last_name", "email", "phone", "preferred_language", "region", "heard_from", "consent"]:
        assert f'for="id_{name}"' in html


def test_sitemap_lists_the_pages_of_every_language(client, workshop, workshop_sv, story):
    xml = client.get("/sitemap.xml").content.decode()

    assert "http://testserver/en/workshops/kista/" in xml
    assert "http://testserver/sv/informationstraffar/kista/" in xml
    assert "http://testserver/en/role-models/catering/" in xml


def test_robots_txt_keeps_crawlers_out_of_the_staff_side(client, home):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /cms-admin/" in text
    assert "Disallow: /cases/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_search_finds_pages_in_the_visitors_language(client, workshop, workshop_sv):
    english = client.get("/en/search/", {"q": "Kista"}).content.decode()
    swedish = client.get("/sv/search/", {"q": "Kista"}).content.decode()

    assert "Information workshop in Kista" in english
    assert "Informationsträff i Kista" not in english
    assert "Informationsträff i Kista" in swedish


def test_search_leaves_out_stories_without_consent(client, story):
    StoryPage.objects.filter(pk=story.pk).update(consent=None)

    assert "kitchen table" not in client.get("/en/search/", {"q": "catering"}).content.decode()


def test_an_image_needs_alt_text():
    form = get_image_form(Image)(data={"title": "Portrait"})

    assert issubclass(get_image_form(Image), ImageForm)
    assert not form.is_valid()
    assert "description" in form.errors
