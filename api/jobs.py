"""The API's part of the daily run: idempotency keys are kept for retries, not for ever."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import IdempotencyKey

KEEP_KEYS_DAYS = 30


def daily(as_of: date, stdout=None) -> dict:
    """Forget idempotency keys older than 30 days (a retry comes within minutes or hours). Running it twice for a
    day changes nothing the second time. The call log is kept."""
    cutoff = timezone.make_aware(datetime.combine(as_of - timedelta(days=KEEP_KEYS_DAYS), time.min))
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return {"idempotency keys forgotten": deleted}
