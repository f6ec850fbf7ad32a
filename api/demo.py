"""The demo's API token: one named row, so the administrator's page has something to show. Safe to run again.

Its secret is random and never printed (a secret known from the repository would open any server where the demo
was loaded by mistake); `manage.py create_api_token` makes a usable one and prints it once.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import tokens
from .models import ApiToken

DEMO_NAME = "Employment service referrals (demo)"
CREATE_HINT = "python manage.py create_api_token --email manager@example.com --scopes read,write,repayments --days 30"


def seed(*, programme) -> ApiToken | None:
    users = get_user_model().objects
    manager = users.filter(email="manager@example.com").first()
    admin = users.filter(email="admin@example.com").first()
    if manager is None:
        return None
    existing = ApiToken.objects.filter(programme=programme, name=DEMO_NAME).first()
    if existing is not None:
        return existing
    _secret, prefix, secret_hash = tokens.make()
    return ApiToken.objects.create(
        programme=programme,
        user=manager,
        name=DEMO_NAME,
        scopes=["read"],
        prefix=prefix,
        secret_hash=secret_hash,
        expires_at=timezone.now() + timedelta(days=365),
        created_by=admin,
    )
