"""Small fixtures for the public site: a programme with two regions, the site in English and Swedish."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms.forms import TIMESTAMP_SALT
from cms.models import (
    ConsentGrant,
    ConsentUse,
    HomePage,
    InterestPage,
    Sector,
    StoryConsent,
    StoryIndexPage,
    StoryPage,
    WorkshopIndexPage,
    WorkshopPage,
)
from neem.models import Membership, Programme, Region, Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Wagtail caches the site's root paths and the sign-up rate limits live in the cache.
    cache.clear()
    yield
    cache.clear()


def add(parent: Page, page: Page) -> Page:
    Page.objects.get(pk=parent.pk).add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def translate(page: Page, locale: Locale, **fields) -> Page:
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


@pytest.fixture
def programme(db):
    return Programme.objects.create(
        name="Neem", slug="neem", currency="SEK", start_date=date(2026, 1, 1), end_date=date(2028, 12, 31)
    )


@pytest.fixture
def stockholm(programme):
    return Region.objects.create(programme=programme, name="Stockholm", slug="stockholm")


@pytest.fixture
def orebro(programme):
    return Region.objects.create(programme=programme, name="Örebro", slug="orebro")


@pytest.fixture
def sv(db):
    return Locale.objects.get_or_create(language_code="sv")[0]


@pytest.fixture
def en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def home(en, sv):
    # A transactional test flushes what Wagtail's migrations created: the tree's root and the site.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=en))
    page = add(root, HomePage(title="Neem", slug="neem-home", locale=en, intro="Start your business."))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": page}
    )
    cache.clear()
    return page


@pytest.fixture
def home_sv(home, sv):
    page = translate(home, sv, title="Neem", slug="neem-hem", intro="Starta ditt företag.")
    cache.clear()
    return page


@pytest.fixture
def workshop(home, home_sv, sv, stockholm, orebro):
    index = add(home, WorkshopIndexPage(title="Workshops", slug="workshops", show_in_menus=True))
    translate(index, sv, title="Informationsträffar", slug="informationstraffar")
    return add(
        index,
        WorkshopPage(
            title="Information workshop in Kista",
            slug="kista",
            region=stockholm,
            date=timezone.localdate() + timedelta(days=10),
            start_time="10:00",
            end_time="12:00",
            place="Arbetsförmedlingen Kista",
            language="sv",
            capacity=2,
            search_description="Meet the programme in Kista.",
        ),
    )


@pytest.fixture
def workshop_sv(workshop, sv):
    return translate(workshop, sv, title="Informationsträff i Kista", slug="kista")


@pytest.fixture
def interest(home, home_sv, sv, stockholm, orebro):
    page = add(home, InterestPage(title="I am interested", slug="i-am-interested", show_in_menus=True))
    translate(page, sv, title="Jag är intresserad", slug="jag-ar-intresserad")
    return page


@pytest.fixture
def consent(db):
    consent = StoryConsent.objects.create(person_name="Amina Hassan", given_on=timezone.localdate())
    expires = timezone.localdate() + timedelta(days=365)
    for use in ConsentUse.values:
        ConsentGrant.objects.create(consent=consent, use=use, expires_on=expires)
    return consent


@pytest.fixture
def story_index(home, home_sv, sv):
    index = add(home, StoryIndexPage(title="Role models", slug="role-models", show_in_menus=True))
    translate(index, sv, title="Förebilder", slug="forebilder")
    return index


@pytest.fixture
def story(story_index, consent, stockholm):
    return add(
        story_index,
        StoryPage(
            title="From the kitchen table to a catering company",
            slug="catering",
            alias="Amina",
            real_name="Amina Hassan",
            business="Hooyo Catering",
            sector=Sector.FOOD,
            region=stockholm,
            quote="Now I know what every plate costs me.",
            consent=consent,
        ),
    )


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(email: str, **extra):
        return get_user_model().objects.create_user(email=email, password="a-long-password-1", **extra)

    return make


@pytest.fixture
def region_lead(make_user, programme, stockholm):
    user = make_user("lead@example.com", first_name="Leila", last_name="Haddad")
    Membership.objects.create(user=user, programme=programme, region=stockholm, role=Role.REGION_LEAD)
    return user


def form_data(**overrides) -> dict:
    """A valid sign-up, shown five seconds ago (past the time trap)."""
    data = {
        "first_name": "Amina",
        "last_name": "Hassan",
        "email": "amina.hassan@example.org",
        "phone": "070-123 45 67",
        "preferred_language": "en",
        "region": "",
        "heard_from": "employment_service",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 5, salt=TIMESTAMP_SALT),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
