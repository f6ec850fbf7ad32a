"""A role-model story is on the site only while her consent holds, use by use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import ConsentGrant, ConsentUse, StoryPage

from .conftest import translate

pytestmark = pytest.mark.django_db


def withdraw(consent, use, *, on=None):
    ConsentGrant.objects.filter(consent=consent, use=use).update(withdrawn_on=on or timezone.localdate())


def test_story_with_consent_is_shown_with_her_name_and_portrait(client, story, home):
    html = client.get(story.url).content.decode()

    assert "Amina Hassan" in html
    assert "From the kitchen table" in client.get(home.url).content.decode()
    assert "From the kitchen table" in client.get(story.get_parent().url).content.decode()


def test_withdrawn_consent_takes_the_story_off_the_site_at_once(client, story, sv, consent):
    story_sv = translate(story, sv, title="Från köksbordet", slug="catering")
    withdraw(consent, ConsentUse.WEB_PAGE)

    assert client.get(story.url).status_code == 404
    assert client.get(story_sv.url).status_code == 404
    assert "kitchen table" not in client.get(story.get_parent().url).content.decode()
    assert story.url not in client.get("/sitemap.xml").content.decode()
    assert "kitchen table" not in client.get("/en/search/?q=catering").content.decode()


def test_expired_consent_takes_the_story_off_the_site(client, story, consent):
    ConsentGrant.objects.filter(consent=consent, use=ConsentUse.WEB_PAGE).update(expires_on=timezone.localdate())

    assert client.get(story.url).status_code == 404


def test_a_withdrawal_dated_tomorrow_still_shows_the_story_today(client, story, consent):
    withdraw(consent, ConsentUse.WEB_PAGE, on=timezone.localdate() + timedelta(days=1))

    assert client.get(story.url).status_code == 200


def test_story_without_any_consent_is_not_shown(client, story):
    StoryPage.objects.filter(pk=story.pk).update(consent=None)

    assert client.get(story.url).status_code == 404


def test_without_consent_to_her_name_the_alias_is_shown(client, story, consent):
    withdraw(consent, ConsentUse.NAME)

    html = client.get(story.url).content.decode()

    assert "Amina Hassan" not in html
    assert "Amina ·" in html


def test_without_consent_to_her_photo_no_portrait_is_shown(client, story, consent, django_image):
    StoryPage.objects.filter(pk=story.pk).update(portrait=django_image)
    assert 'class="portrait"' in client.get(story.url).content.decode()

    withdraw(consent, ConsentUse.PHOTO)

    assert 'class="portrait"' not in client.get(story.url).content.decode()
    assert "og:image" not in client.get(story.url).content.decode()


def test_story_filters_by_region_and_sector(client, story, orebro):
    index = story.get_parent()

    assert "kitchen table" in client.get(index.url, {"sector": "food"}).content.decode()
    assert "kitchen table" not in client.get(index.url, {"sector": "beauty"}).content.decode()
    assert "kitchen table" not in client.get(index.url, {"region": orebro.pk}).content.decode()


@pytest.fixture
def django_image(db):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image
    from wagtail.models import Collection

    Collection.get_first_root_node() or Collection.add_root(name="Root")  # a transactional test may have flushed it
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 40), "#005a4e").save(buffer, format="PNG")
    return Image.objects.create(
        title="Portrait", description="Portrait of Amina", file=ImageFile(buffer, name="amina.png")
    )
