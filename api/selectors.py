"""Reads for the token pages, scoped to the programmes the user administers."""

from __future__ import annotations

from django.db.models import QuerySet

from neem import access

from .models import ApiCall, ApiToken


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(programme__in=access.administered_programmes(user)).select_related(
        "programme", "user", "created_by", "revoked_by"
    )


def calls_visible_to(user) -> QuerySet[ApiCall]:
    return ApiCall.objects.filter(programme__in=access.administered_programmes(user)).select_related(
        "token__user", "programme"
    )
