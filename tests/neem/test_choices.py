"""The faster get_<field>_display (neem/choices.py) says what Django's own says, in the page's language."""

from django.db.models import Model
from django.utils import translation

from coaching.models import CaseEvent, Participant, Stage
from neem import choices


def test_every_generated_display_is_the_fast_one():
    assert choices.install() == 0  # ready() already replaced them all
    assert Participant.__dict__["get_gender_display"].func is choices._display


def test_the_label_follows_the_active_language_and_matches_djangos():
    person = Participant(gender="woman", preferred_language="ar")
    event = CaseEvent(kind="transition", from_state=Stage.INTAKE, to_state=Stage.COACHING)
    field = Participant._meta.get_field("gender")
    for language, expected in (("en", "woman"), ("sv", "kvinna")):
        with translation.override(language):
            assert person.get_gender_display() == expected
            assert person.get_gender_display() == Model._get_FIELD_display(person, field)
            assert event.get_to_state_display() == str(Stage.COACHING.label)
    with translation.override("sv"):
        assert person.get_preferred_language_display() == "Arabiska"


def test_an_unknown_value_is_shown_as_it_is():
    assert Participant(gender="not-a-choice").get_gender_display() == "not-a-choice"


def test_callable_choices_are_read_again_after_a_setting_changes(settings):
    person = Participant(preferred_language="da")
    assert person.get_preferred_language_display() == "Danish"
    settings.LANGUAGES = [("en", "English"), ("da", "Dansk (test)")]
    assert person.get_preferred_language_display() == "Dansk (test)"
