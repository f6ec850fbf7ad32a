"""The demo seed for the participant's pages is idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from participants.demo import seed
from participants.models import Document, Message, ReminderPreference

pytestmark = pytest.mark.django_db


def test_seed_twice_gives_one_thread_one_document_one_preference(world):
    get_user_model().objects.filter(pk=world.participant.pk).update(email="participant@example.com")

    seed(programme=world.programme)
    seed(programme=world.programme)

    assert Message.objects.filter(case=world.case).count() == 2
    assert Document.objects.filter(case=world.case).count() == 1
    assert ReminderPreference.objects.filter(participant=world.case.participant).count() == 1
