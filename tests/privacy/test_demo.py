"""The demo shows consents with their text version, the retention rule and an access-log line; twice is once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from coaching.models import Participant
from privacy.models import AccessLog, ConsentRecord, ConsentText, RetentionRule

pytestmark = pytest.mark.django_db


def test_seed_demo_records_every_participants_consent_once():
    call_command("seed_demo", quiet=True)
    counts = (ConsentText.objects.count(), ConsentRecord.objects.count(), AccessLog.objects.count())
    call_command("seed_demo", quiet=True)

    assert (ConsentText.objects.count(), ConsentRecord.objects.count(), AccessLog.objects.count()) == counts
    assert RetentionRule.objects.get().years_after_closing == 7
    participants = Participant.objects.filter(merged_into__isnull=True).count()
    assert ConsentRecord.objects.filter(purpose="programme", withdrawn_at=None).count() == participants
    amal = ConsentRecord.objects.get(participant__user__email="participant@example.com", purpose="programme")
    assert amal.text.version == "1"
    assert AccessLog.objects.get().participant.user.email == "participant@example.com"
