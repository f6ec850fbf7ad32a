"""`manage.py bench [--scale N] [--json]`: generate a data set at programme scale, then time the main pages.

Meant for a database of its own (e.g. `neem_bench`): it refuses to run where case files already exist unless
`--force`. Even then it never touches existing rows: its data set goes into a programme of its own.
See README, "Performance".
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from coaching.models import CaseFile
from loans.engine import ScheduleTerms, build_schedule
from perf.dataset import SEARCH, generate

PAGES = ("caseload", "caseload_search", "case", "my_path", "dashboard", "portfolio")


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 = p95)."""
    ordered = sorted(samples)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def engine_rate(installments: int, frequency: str, seconds: float) -> float:
    """Schedules per second, one core, for a typical declining-balance annuity."""
    terms = ScheduleTerms(
        principal=Decimal("30000"),
        annual_rate=Decimal("8"),
        installments=installments,
        start_date=date(2026, 1, 15),
        frequency=frequency,
    )
    for _ in range(50):
        build_schedule(terms)
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            build_schedule(terms)
        count += 50
    return count / elapsed


class Command(BaseCommand):
    help = "Generate a data set at programme scale and time the main pages against an empty page."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 participants (default 1)")
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        # The p95 of 40 requests is the second slowest, so one hiccup of a shared machine decided a page's ratio;
        # of 100 it is the fifth slowest (about 15 s more for the seven pages).
        parser.add_argument("--runs", type=int, default=100, help="timed requests per page (default 100)")
        parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first (default 5)")
        parser.add_argument(
            "--engine-seconds", type=float, default=3.0, help="how long to time the schedule engine (default 3 s)"
        )
        parser.add_argument(
            "--force", action="store_true", help="run even where case files exist (the data set is added beside)"
        )

    def log(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def handle(self, *args, scale: float, json: bool, runs: int, warmup: int, force: bool, **options):
        engine_seconds = options["engine_seconds"]
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if not force and CaseFile.objects.exists():
            raise CommandError(
                "This database already holds case files. Run the benchmark on a database of its own "
                "(e.g. DATABASE_URL=postgres://.../neem_bench), or pass --force to add its data set beside them."
            )
        engine_name = "postgresql" if connection.vendor == "postgresql" else connection.vendor
        self.log(f"bench: scale {scale:g} on {engine_name}; generating the data set…")
        started = time.perf_counter()
        world = generate(scale, progress=self.log)
        generate_s = time.perf_counter() - started
        self.log(f"generated in {generate_s:.1f} s")

        urls = {
            "caseload": (world.adviser, reverse("coaching:caseload")),
            "caseload_search": (world.adviser, reverse("coaching:caseload") + f"?q={SEARCH}"),
            "case": (world.adviser, reverse("coaching:case_detail", args=[world.case.pk])),
            "my_path": (world.borrower, reverse("coaching:my_page")),
            "dashboard": (world.manager, reverse("outcomes:dashboard") + f"?programme={world.programme.pk}"),
            "portfolio": (world.manager, reverse("portfolio:portfolio")),
        }
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        # Time the pages as they run in production: no query log, no debug pages.
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            clients = {}
            for user in (world.adviser, world.borrower, world.manager):
                client = Client()
                client.force_login(user)
                clients[user.pk] = client
            secure = settings.SECURE_SSL_REDIRECT if hasattr(settings, "SECURE_SSL_REDIRECT") else False
            urls["empty"] = (world.adviser, reverse("perf:empty"))
            order = ["empty", *PAGES]
            queries = {}
            for name in order:  # warm up each page (the first request fills the figures cache) and count queries
                user, url = urls[name]
                queries[name] = self.warm_up(clients[user.pk], url, warmup, secure, name)
            # Timed round-robin, each round every page once, so a shared machine's drift hits all pages alike.
            samples: dict[str, list[float]] = {name: [] for name in order}
            for _ in range(runs):
                for name in order:
                    user, url = urls[name]
                    start = time.perf_counter()
                    self.get(clients[user.pk], url, secure)
                    samples[name].append((time.perf_counter() - start) * 1000)
            for name in order:
                self.log(f"  {name}: median {statistics.median(samples[name]):.1f} ms, {queries[name]} queries")
            empty_samples = samples.pop("empty")
            pages = {name: (samples[name], queries[name]) for name in PAGES}

        self.log("engine: schedules per second on one core…")
        rate_12 = engine_rate(12, "months", engine_seconds)
        rate_52 = engine_rate(52, "weeks", engine_seconds)

        empty_p95 = percentile(empty_samples, 0.95)
        result = {
            "scale": scale,
            "database": engine_name,
            "generate_s": round(generate_s, 1),
            "empty_page": {
                "median_ms": round(statistics.median(empty_samples), 2),
                "p95_ms": round(empty_p95, 2),
            },
            "pages": {
                name: {
                    "median_ms": round(statistics.median(samples), 2),
                    "p95_ms": round(percentile(samples, 0.95), 2),
                    "queries": queries,
                    "ratio_p95": round(percentile(samples, 0.95) / empty_p95, 2),
                }
                for name, (samples, queries) in pages.items()
            },
            "engine": {"schedules_per_s_12": round(rate_12), "schedules_per_s_52": round(rate_52)},
        }
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.print_table(result)

    def warm_up(self, client: Client, url: str, warmup: int, secure: bool, name: str) -> int:
        """Untimed requests first (the first one's time goes to stderr); returns the page's query count."""
        for i in range(warmup):
            start = time.perf_counter()
            self.get(client, url, secure)
            if i == 0:
                self.log(f"  {name}: first request {(time.perf_counter() - start) * 1000:.0f} ms")
        with CaptureQueriesContext(connection) as captured:
            self.get(client, url, secure)
        return len(captured.captured_queries)

    def get(self, client: Client, url: str, secure: bool):
        response = client.get(url, secure=secure)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    def print_table(self, result: dict) -> None:
        out = self.stdout.write
        out(f"scale {result['scale']:g} on {result['database']}, data set generated in {result['generate_s']} s")
        empty = result["empty_page"]
        out(f"{'page':<16}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'p95 / empty':>13}")
        out(f"{'(empty page)':<16}{empty['median_ms']:>11.1f}{empty['p95_ms']:>9.1f}{'':>9}{1:>13.2f}")
        for name, page in result["pages"].items():
            out(
                f"{name:<16}{page['median_ms']:>11.1f}{page['p95_ms']:>9.1f}{page['queries']:>9}"
                f"{page['ratio_p95']:>13.2f}"
            )
        engine = result["engine"]
        out(
            f"schedule engine: {engine['schedules_per_s_12']:,} schedules/s (12 instalments), "
            f"{engine['schedules_per_s_52']:,} (52)"
        )


def _dumps(value) -> str:
    return json.dumps(value, indent=2)
