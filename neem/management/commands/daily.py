"""The daily run (cron in production): overdue days, penalties, next actions, reminders. Idempotent."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from neem import daily


class Command(BaseCommand):
    help = "Run every app's daily work for a date (today by default). Safe to run more than once a day."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The date to run for, YYYY-MM-DD (default: today).")

    def handle(self, *args, as_of: str | None = None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2026-11-25, not {as_of!r}") from exc
        for name, job in daily.jobs().items():
            result = job(day)
            summary = ", ".join(f"{k}: {v}" for k, v in (result or {}).items())
            self.stdout.write(f"{day} {name}: {summary or 'done'}")
