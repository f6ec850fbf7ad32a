"""The one-time check-in link: a signed token naming the check-in, valid for NEEM_CHECK_IN_LINK_DAYS.

One-time because the form refuses a check-in that is already answered; no login is needed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import CheckIn

SALT = "participants.check_in"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def make_token(check_in: CheckIn) -> str:
    return signing.dumps({"c": check_in.pk, "m": check_in.months}, salt=SALT, compress=True)


def check_in_from_token(token: str) -> CheckIn:
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.NEEM_CHECK_IN_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    check_in = CheckIn.objects.select_related("case__participant", "case__programme").filter(pk=data.get("c")).first()
    if check_in is None or check_in.months != data.get("m"):
        raise LinkInvalid
    return check_in
