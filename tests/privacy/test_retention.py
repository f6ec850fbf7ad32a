"""Retention: the daily run anonymises participants whose cases closed longer ago than the programme keeps data."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from coaching.models import CaseFile, Participant, Stage
from privacy.models import Erasure, RetentionRule
from privacy.services import retention_due
from tests.factories import CaseFileFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2034, 6, 1)


def _closed(world, *, on: date, state=Stage.WITHDRAWN, region=None, participant=None):
    case = CaseFileFactory(participant=participant or ParticipantFactory(), region=region or world.north)
    closed_at = timezone.make_aware(datetime(on.year, on.month, on.day, 12))
    CaseFile.objects.filter(pk=case.pk).update(state=state, closed_at=closed_at)
    return case


def _daily(day: date) -> str:
    from io import StringIO

    out = StringIO()
    call_command("daily", "--as-of", day.isoformat(), stdout=out)
    return out.getvalue()


def test_default_rule_anonymises_cases_closed_seven_years_ago_once(world):
    old = _closed(world, on=date(2027, 5, 31))  # 7 years and a day before AS_OF
    recent = _closed(world, on=date(2027, 6, 2), state=Stage.CLOSED)
    recent_name = recent.participant.full_name

    output = _daily(AS_OF)

    assert "privacy_retention: anonymised: 1" in output
    erasure = Erasure.objects.get()
    assert (erasure.participant_id, erasure.trigger, erasure.by) == (old.participant_id, "retention", None)
    assert Participant.objects.get(pk=old.participant_id).first_name == "[erased]"
    assert Participant.objects.get(pk=recent.participant_id).full_name == recent_name
    # The second run for the same day (and the next day) changes nothing more.
    assert "privacy_retention: anonymised: 0" in _daily(AS_OF)
    assert Erasure.objects.count() == 1


def test_administrators_set_the_years_per_programme_or_switch_the_rule_off(world):
    case = _closed(world, on=date(2032, 1, 1), state=Stage.CLOSED)
    assert retention_due(AS_OF) == []
    rule = RetentionRule.objects.create(programme=world.programme, years_after_closing=2)
    assert [p.pk for p in retention_due(AS_OF)] == [case.participant_id]
    rule.active = False
    rule.save()
    assert retention_due(AS_OF) == []


def test_a_person_with_an_open_case_is_kept(world):
    from tests.factories import ProgrammeFactory, RegionFactory

    participant = world.case.participant  # her case in this programme is in coaching
    elsewhere = RegionFactory(programme=ProgrammeFactory(slug="elsewhere"), slug="elsewhere")
    _closed(world, on=date(2020, 1, 1), participant=participant, region=elsewhere)  # long closed in another one
    assert all(p.pk != participant.pk for p in retention_due(AS_OF))
