"""Caching of aggregate figures (portfolio, outcomes dashboard) with correct invalidation.

Every committed write to a model of the domain apps bumps one counter in the database (`DataVersion`, after
commit, once per transaction). A cached figure is stored under a key that holds the counter's value when it
was computed, so after any write the next request computes afresh: never stale, whatever the cache backend
(Redis shared by many app servers, or a local memory cache per process). Reading the counter is one
primary-key query. `NEEM_FIGURE_CACHE_SECONDS` bounds how long an entry lives (0 turns caching off: tests).

Writes that bypass Django's signals (QuerySet.update, bulk_create) in the domain apps always come with a
saved row in the same transaction (a ledger entry, a timeline event), which bumps the counter.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
COUNTER = "figures"
# Apps whose rows feed the figures. Not neem.User: a login (last_login) changes no figure.
WATCHED_APPS = {"coaching", "loans", "plans", "healthchecks", "portfolio", "outcomes", "participants"}
WATCHED_NEEM_MODELS = {"programme", "region", "membership", "programmetarget"}


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    if meta.app_label == "neem":
        return meta.model_name in WATCHED_NEEM_MODELS
    return meta.app_label in WATCHED_APPS


# The counter read once per request and thread (cleared when a request starts and after a bump).
_seen = threading.local()


def _forget(**kwargs) -> None:
    _seen.value = None


def bump() -> None:
    from .models import DataVersion

    _forget()
    updated = DataVersion.objects.filter(name=COUNTER).update(value=F("value") + 1)
    if not updated:
        DataVersion.objects.get_or_create(name=COUNTER, defaults={"value": 1})


def _changed(sender, **kwargs) -> None:
    if not _watched(sender):
        return
    if not connection.in_atomic_block:
        bump()
    elif not any(item[1] is bump for item in connection.run_on_commit):
        # Once per transaction; a rollback drops the callback with the transaction's writes.
        transaction.on_commit(bump)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="perf-figcache-save")
    post_delete.connect(_changed, dispatch_uid="perf-figcache-delete")
    m2m_changed.connect(_changed, dispatch_uid="perf-figcache-m2m")
    request_started.connect(_forget, dispatch_uid="perf-figcache-request")
    request_finished.connect(_forget, dispatch_uid="perf-figcache-request-end")


def version() -> int:
    from .models import DataVersion

    value = getattr(_seen, "value", None)
    if value is None:
        value = DataVersion.objects.filter(name=COUNTER).values_list("value", flat=True).first() or 0
        _seen.value = value
    return value


def cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or its cached result for the same `parts` at the current data version."""
    seconds = getattr(settings, "NEEM_FIGURE_CACHE_SECONDS", 600)
    if not seconds:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"neem:fig:{name}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


_KEY_ATTR = "_neem_figcache_key"


def queryset_key(queryset) -> str:
    """A queryset's SQL with its parameters: the same filters give the same key.

    Kept on the queryset: a page asks for the same queryset's key for each of its figures, and compiling the SQL
    is most of the cost (a filtered queryset is a new object with its own key).
    """
    query = queryset.query
    seen = queryset.__dict__.get(_KEY_ATTR)
    if seen is not None and seen[0] is query:
        return seen[1]
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(), or a filter on an empty list
        key = f"{queryset.model._meta.label} none"
    else:
        key = f"{sql} {params!r}"
    queryset.__dict__[_KEY_ATTR] = (query, key)
    return key
