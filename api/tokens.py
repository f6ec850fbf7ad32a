"""Token secrets: made, hashed and checked here, and nowhere else.

A token reads `neem_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of the whole token is
compared in constant time. The secret itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "neem_"


def make() -> tuple[str, str, str]:
    """(the token to show once, its public prefix, the hash to store)."""
    prefix = secrets.token_hex(6)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    if not token.startswith(PREFIX):
        return None
    prefix, sep, secret = token[len(PREFIX) :].partition("_")
    if not sep or not secret or len(prefix) != 12:
        return None
    return prefix


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(token), stored_hash)
