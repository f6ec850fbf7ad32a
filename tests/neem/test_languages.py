"""Languages: derived from the catalogues, stored on each person's profile and used for her pages."""

from __future__ import annotations

import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse

from coaching import services as coaching_services
from coaching.models import Participant
from neem.languages import discover, is_rtl, text_direction
from neem.models import User

pytestmark = pytest.mark.django_db


def test_languages_are_english_and_every_catalogue_directory(tmp_path):
    for code in ("sv", "mn", "ar"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "not-a-language" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "da").mkdir()  # no LC_MESSAGES: not a catalogue
    assert [code for code, _name in discover(tmp_path)] == ["en", "ar", "mn", "sv"]
    assert [code for code, _name in discover(tmp_path, only=["sv", "en"])] == ["en", "sv"]
    assert [code for code, _name in discover(tmp_path, only=["ar"])] == ["en", "ar"]  # the source always stays


def test_the_five_languages_are_offered_english_first():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[0] == "en"
    assert set(codes) >= {"en", "sv", "da", "vi", "ar"}
    assert settings.WAGTAIL_CONTENT_LANGUAGES == settings.LANGUAGES


def test_arabic_is_right_to_left_and_the_others_are_not():
    assert is_rtl("ar") and text_direction("ar") == "rtl"
    assert not any(is_rtl(code) for code in ("en", "sv", "da", "vi"))


def test_the_switcher_names_each_language_in_itself(client):
    html = unicodedata.normalize("NFC", client.get(reverse("account_login")).content.decode())
    for name in ("English", "Svenska", "Dansk", "Tiếng Việt", "العربيّة"):
        assert name in html


def test_staff_pages_are_in_the_language_on_her_profile(world, client_for):
    world.adviser.language = "ar"
    world.adviser.save()
    response = client_for(world.adviser).get(reverse("coaching:caseload"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert response["Content-Language"] == "ar"


def test_switching_language_keeps_it_on_her_profile_and_her_participant_record(world, client_for):
    client = client_for(world.participant)
    response = client.post(reverse("set_language"), {"language": "vi", "next": reverse("coaching:my_page")})
    assert response.status_code == 302
    assert User.objects.get(pk=world.participant.pk).language == "vi"
    # Her e-mails, reminders and PDFs read her participant record's language.
    assert Participant.objects.get(pk=world.case.participant_id).preferred_language == "vi"
    page = client.get(reverse("coaching:my_page"))
    assert '<html lang="vi" dir="ltr">' in page.content.decode()


def test_a_language_not_offered_changes_nothing(world, client_for):
    client = client_for(world.adviser)
    response = client.post(reverse("account_language"), {"language": "xx"})
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert User.objects.get(pk=world.adviser.pk).language == "en"


def test_her_account_page_saves_her_language(world, client_for):
    client = client_for(world.adviser)
    assert client.get(reverse("account_language")).status_code == 200
    response = client.post(reverse("account_language"), {"language": "da"}, follow=True)
    assert User.objects.get(pk=world.adviser.pk).language == "da"
    assert '<html lang="da" dir="ltr">' in response.content.decode()


def test_the_account_page_needs_a_login(client):
    response = client.get(reverse("account_language"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_public_pages_keep_the_language_of_their_url(world, client_for):
    world.participant.language = "ar"
    world.participant.save()
    response = client_for(world.participant).get("/sv/search/")
    assert response["Content-Language"] == "sv"


def test_an_adviser_changing_her_language_changes_her_login_language_too(world):
    participant = world.case.participant
    coaching_services.participant_update(by=world.adviser, participant=participant, data={"preferred_language": "ar"})
    assert User.objects.get(pk=world.participant.pk).language == "ar"


def test_the_adviser_sees_her_language_and_that_she_needs_an_interpreter(world, client_for):
    Participant.objects.filter(pk=world.case.participant_id).update(preferred_language="ar", needs_interpreter=True)
    client = client_for(world.adviser)
    case_page = client.get(reverse("coaching:case_detail", args=[world.case.pk])).content.decode()
    assert '<dd data-language="ar">Arabic · <strong class="interpreter">needs an interpreter</strong></dd>' in case_page
    caseload = client.get(reverse("coaching:caseload"), {"all": "1"}).content.decode()
    assert '<td data-language="ar">Arabic · <strong class="interpreter">needs an interpreter</strong></td>' in caseload


def test_a_phone_number_reads_left_to_right_on_an_arabic_case_page(world, client_for):
    world.adviser.language = "ar"
    world.adviser.save()
    html = client_for(world.adviser).get(reverse("coaching:case_detail", args=[world.case.pk])).content.decode()
    phone = Participant.objects.get(pk=world.case.participant_id).phone
    assert f'<span dir="ltr" class="ltr">{phone}</span>' in html
