"""`Authorization: Bearer <token>`: who the call acts as, in which programme, with which scopes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from . import services
from .models import ApiToken


class ApiError(Exception):
    """An answer other than success, as JSON: status, a stable code, a message and field errors."""

    def __init__(self, status: int, code: str, detail, errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(str(detail))
        self.status, self.code, self.detail = status, code, str(detail)
        self.errors = errors or []
        self.headers = headers or {}


def unauthenticated(detail) -> ApiError:
    return ApiError(401, "unauthenticated", detail, headers={"WWW-Authenticate": 'Bearer realm="neem"'})


class TokenAuth(HttpBearer):
    """A live token with the scope the operation needs. Sets request.auth (the token) and request.user."""

    openapi_description = "An API token created by the programme's administrator: `Authorization: Bearer neem_...`."

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        request.api_token = None
        header = request.headers.get("Authorization", "")
        if not header:
            raise unauthenticated(_("Send an API token: Authorization: Bearer <token>."))
        return super().__call__(request)

    def authenticate(self, request, token: str) -> ApiToken:
        found = services.authenticate(token or "")
        if found is None:
            raise unauthenticated(_("Unknown API token."))
        request.api_token = found
        if found.revoked_at is not None:
            raise unauthenticated(_("This API token was revoked."))
        if found.expires_at <= timezone.now():
            raise unauthenticated(_("This API token has expired."))
        if not found.user.is_active:
            raise unauthenticated(_("The account this token acts as is deactivated."))
        if not found.has_scope(self.scope):
            raise ApiError(403, "missing_scope", _("This token lacks the scope “%(scope)s”.") % {"scope": self.scope})
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found


READ = TokenAuth("read")
WRITE = TokenAuth("write")
REPAYMENTS = TokenAuth("repayments")
