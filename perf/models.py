from django.db import models


class DataVersion(models.Model):
    """A counter bumped after every committed write to the programme's data (see perf/figcache.py).

    Cached figures carry the version they were computed at, so a write makes every older entry unreachable:
    correct with any cache backend, one per process included, because the counter lives in the database.
    """

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} v{self.value}"


class TaskRun(models.Model):
    """One run of the `perf.tasks.probe` job: lets operators (and the scale-out test) see that each job
    queued for several `db_worker` processes runs exactly once."""

    key = models.CharField(max_length=80, db_index=True)
    pid = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} by {self.pid}"
