"""Writes of the API app: tokens (created by a programme's administrator or by the command), revocation.

Keyword-only arguments, the acting user re-checked against neem.access, one transaction. The token row
itself records who created and who revoked it, and when; every call is an ApiCall row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from neem import access
from neem.models import Membership, Programme, Role

from . import tokens
from .models import ApiToken, Scope

DEFAULT_DAYS = 90
MAX_DAYS = 365
# The roles whose pages the API mirrors. Committee members, mentors, editors, evaluators and participants
# read nothing through it, so they get no token.
TOKEN_ROLES = [Role.ADVISER, Role.REGION_LEAD, Role.MANAGER, Role.ADMINISTRATOR]


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def can_manage_tokens(user, programme_id: int) -> bool:
    return programme_id in access.administered_programmes(user)


def token_users(programme: Programme):
    """Staff who may be given a token of the programme: active, holding a role the API mirrors, not a participant."""
    from django.contrib.auth import get_user_model

    holders = Membership.objects.filter(programme=programme, role__in=TOKEN_ROLES).values("user")
    return (
        get_user_model()
        .objects.filter(pk__in=holders, is_active=True, participant__isnull=True)
        .order_by("first_name", "last_name", "email")
    )


def _check_scopes(scopes) -> list[str]:
    wanted = sorted({str(s).strip() for s in scopes if str(s).strip()})
    unknown = set(wanted) - set(Scope.values)
    if unknown:
        raise Refused(_("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))})
    if not wanted:
        raise Refused(_("Choose at least one scope."))
    return wanted


def token_create(
    *, by, programme: Programme, user, name: str, scopes, days: int = DEFAULT_DAYS, check_access: bool = True
) -> NewToken:
    """Make a token acting as `user` in `programme`. `check_access=False` only for the management command,
    which the server's operator runs (no web user acts)."""
    if check_access and not can_manage_tokens(by, programme.pk):
        raise NotAllowed(_("Only the programme's administrator can create API tokens."))
    name = (name or "").strip()
    if not name:
        raise Refused(_("Give the token a name."))
    if not 1 <= int(days) <= MAX_DAYS:
        raise Refused(_("A token lasts between 1 and %(max)s days.") % {"max": MAX_DAYS})
    wanted = _check_scopes(scopes)
    if not token_users(programme).filter(pk=user.pk).exists():
        raise Refused(
            _(
                "%(user)s holds no staff role in %(programme)s that the API serves (adviser, region lead, manager, administrator)."
            )
            % {"user": user, "programme": programme}
        )
    secret, prefix, secret_hash = tokens.make()
    with transaction.atomic():
        token = ApiToken.objects.create(
            programme=programme,
            user=user,
            name=name[:100],
            scopes=wanted,
            prefix=prefix,
            secret_hash=secret_hash,
            expires_at=timezone.now() + timedelta(days=int(days)),
            created_by=by,
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, by, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if not can_manage_tokens(by, token.programme_id):
            raise NotAllowed(_("Only the programme's administrator can revoke API tokens."))
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The live token for a secret, or None. Expiry and revocation are checked by the caller, which
    answers each with its own message."""
    prefix = tokens.prefix_of(secret)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user", "programme").filter(prefix=prefix).first()
    if token is None or not tokens.matches(secret, token.secret_hash):
        return None
    return token
