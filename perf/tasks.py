"""A probe job for the task workers (django-tasks; `manage.py db_worker` runs it)."""

from __future__ import annotations

import os

from django_tasks import task


@task()
def probe(key: str) -> int:
    """Record that this worker process ran the job `key` (never deduplicated: a second run shows)."""
    from .models import TaskRun

    return TaskRun.objects.create(key=key, pid=os.getpid()).pk
