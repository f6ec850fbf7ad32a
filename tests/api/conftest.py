"""Tokens for the shared world's people, and a client that sends them."""

from __future__ import annotations

import pytest
from django.test import Client

from api import services


def make_token(user, programme, scopes=("read", "write", "repayments"), days: int = 30) -> str:
    return services.token_create(
        by=None, programme=programme, user=user, name=f"test {user.email}", scopes=scopes, days=days, check_access=False
    ).secret


class ApiClient:
    """A test client that sends a token (or none) and JSON."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, payload=None, **headers):
        return self.client.post(
            path, payload or {}, content_type="application/json", headers={**self.headers, **headers}
        )

    def put(self, path, payload=None, **headers):
        return self.client.put(
            path, payload or {}, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as(world):
    """api_as(role, scopes=...) -> an ApiClient with a fresh token for that person of the world."""

    def make(role: str, scopes=("read", "write", "repayments")) -> ApiClient:
        return ApiClient(make_token(getattr(world, role), world.programme, scopes))

    return make
