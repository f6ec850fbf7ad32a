"""seed_demo leaves one named API token row (its secret random, never printed) and says how to make one."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from api.demo import DEMO_NAME
from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_keeps_one_demo_token_and_prints_no_secret():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", quiet=True)

    token = ApiToken.objects.get(name=DEMO_NAME)
    assert ApiToken.objects.count() == 1
    assert token.user.email == "manager@example.com"
    assert token.is_active()
    assert "create_api_token --email manager@example.com" in out.getvalue()
    assert "/api/v1/docs" in out.getvalue()
    assert not re.search(r"neem_[0-9a-f]{12}_\S+", out.getvalue())
