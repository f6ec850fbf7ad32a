"""Editors create the page types in the Wagtail admin (Wagtail's own test utilities)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    HomePage,
    InterestPage,
    NewsIndexPage,
    RegionPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    WorkshopIndexPage,
    WorkshopPage,
)
from neem.models import Programme, Region


class PageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        programme = Programme.objects.create(
            name="Neem", slug="neem", currency="SEK", start_date="2026-01-01", end_date="2028-12-31"
        )
        cls.region = Region.objects.create(programme=programme, name="Stockholm", slug="stockholm")
        cls.home = HomePage(title="Neem", slug="neem-home", locale=Locale.objects.get_or_create(language_code="en")[0])
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        root.add_child(instance=cls.home)
        Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": cls.home})
        Collection.get_first_root_node() or Collection.add_root(name="Root")
        cls.workshops = WorkshopIndexPage(title="Workshops", slug="workshops")
        cls.home.add_child(instance=cls.workshops)

    def setUp(self):
        self.login()

    def test_the_page_tree_rules(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {StandardPage, RegionPage, WorkshopIndexPage, InterestPage, StoryIndexPage, NewsIndexPage},
        )
        self.assertAllowedParentPageTypes(WorkshopPage, {WorkshopIndexPage})
        self.assertAllowedParentPageTypes(StoryPage, {StoryIndexPage})
        self.assertCanNotCreateAt(HomePage, WorkshopPage)

    def test_an_editor_creates_a_content_page_with_every_block(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "About the programme",
                    "slug": "about",
                    "intro": "Who it is for.",
                    "body": streamfield(
                        [
                            ("text", rich_text("<h2>How it works</h2><p>Four phases.</p>")),
                            ("quote", {"quote": "It gave me courage.", "attribution": "A participant"}),
                            (
                                "call_to_action",
                                {
                                    "heading": "Join",
                                    "text": "",
                                    "button_label": "I am interested",
                                    "url": "https://neem.example/",
                                },
                            ),
                            (
                                "faq",
                                {
                                    "heading": "Questions",
                                    "questions": streamfield(
                                        [("item", {"question": "Does it cost?", "answer": rich_text("<p>No.</p>")})]
                                    ),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        page = StandardPage.objects.get(slug="about")
        self.assertEqual([block.block_type for block in page.body], ["text", "quote", "call_to_action", "faq"])
        self.assertPageIsRenderable(page)

    def test_an_editor_creates_a_workshop(self):
        day = timezone.localdate() + timedelta(days=14)
        self.assertCanCreate(
            self.workshops,
            WorkshopPage,
            nested_form_data(
                {
                    "title": "Information workshop in Kista",
                    "slug": "kista",
                    "region": self.region.pk,
                    "date": day.isoformat(),
                    "start_time": "10:00",
                    "end_time": "12:00",
                    "place": "Arbetsförmedlingen Kista",
                    "language": "sv",
                    "capacity": 20,
                    "waiting_list": "on",
                    "body": streamfield([]),
                }
            ),
        )
        self.assertPageIsRenderable(WorkshopPage.objects.get(slug="kista"))

    def test_a_workshop_needs_a_place_or_a_video_link(self):
        page = WorkshopPage(
            title="Nowhere",
            slug="nowhere",
            region=self.region,
            date=timezone.localdate(),
            start_time="10:00",
            end_time="09:00",
            capacity=5,
        )
        with self.assertRaises(Exception) as raised:
            page.full_clean()
        self.assertIn("place", raised.exception.message_dict)
        self.assertIn("end_time", raised.exception.message_dict)

    def test_a_story_consent_is_recorded_per_use(self):
        from cms.models import StoryConsent

        response = self.client.post(
            "/cms-admin/snippets/cms/storyconsent/add/",
            nested_form_data(
                {
                    "person_name": "Amina Hassan",
                    "case": "",
                    "given_on": timezone.localdate().isoformat(),
                    "record": "Signed form",
                    "uses": inline_formset(
                        [
                            {"use": "web_page", "expires_on": "2028-01-01", "withdrawn_on": ""},
                            {"use": "photo", "expires_on": "2027-01-01", "withdrawn_on": ""},
                        ]
                    ),
                }
            ),
        )
        self.assertEqual(response.status_code, 302)
        consent = StoryConsent.objects.get()
        self.assertEqual(sorted(consent.uses.values_list("use", flat=True)), ["photo", "web_page"])
