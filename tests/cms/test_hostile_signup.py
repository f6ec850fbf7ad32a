"""Bad input on the public sign-up form (a Wagtail page, so not among the matrix's pages): hostile values
in any field never give a server error, and a refused sign-up registers no one and says why."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cms.models import WorkshopRegistration
from coaching.models import CaseFile, Participant

from ..test_hostile_input import HOSTILE, shows_an_error
from .conftest import form_data

pytestmark = pytest.mark.django_db

FIELDS = ["first_name", "last_name", "email", "phone", "preferred_language", "region", "heard_from", "consent"]


def counts() -> tuple[int, int, int]:
    return Participant.objects.count(), CaseFile.objects.count(), WorkshopRegistration.objects.count()


@override_settings(NEEM_SIGNUP_LIMIT_PER_IP=100_000, NEEM_SIGNUP_LIMIT_PER_EMAIL=100_000)
def test_the_sign_up_form_survives_hostile_input(client, workshop, stockholm):
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        hostile=st.dictionaries(
            st.sampled_from(FIELDS), st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)), min_size=1
        )
    )
    def run(hostile):
        cache.clear()
        with transaction.atomic():
            before = counts()
            response = client.post(workshop.url, form_data(**{"region": str(stockholm.pk), **hostile}))
            # The page answers an invalid form 400 (409 when the workshop is full), with the form again.
            assert response.status_code in (302, 400, 409), response.status_code
            if response.status_code != 302:
                assert counts() == before
                assert shows_an_error(response.content.decode())
            transaction.set_rollback(True)

    run()
