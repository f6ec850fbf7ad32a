"""`manage.py bench` at a tiny scale, so the benchmark itself cannot rot."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coaching.models import CaseFile
from loans.models import LedgerEntry, Loan
from loans.services import ledger_balance
from perf.management.commands.bench import PAGES, percentile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def figure_cache(settings):
    """Pages are timed as in production, with the figures cache (emptied around each test)."""
    from django.core.cache import cache

    settings.NEEM_FIGURE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def run_bench(scale: float, **options) -> dict:
    out, err = StringIO(), StringIO()
    call_command(
        "bench", scale=scale, json=True, runs=2, warmup=1, engine_seconds=0.05, stdout=out, stderr=err, **options
    )
    assert "generating the data set" in err.getvalue()  # progress goes to stderr...
    return json.loads(out.getvalue())  # ...and the JSON alone to stdout


def test_bench_prints_the_specified_object_and_query_counts_do_not_grow_with_the_data():
    small = run_bench(0.01)

    assert set(small) == {"scale", "database", "generate_s", "empty_page", "pages", "engine"}
    assert small["scale"] == 0.01
    assert small["database"] in {"postgresql", "sqlite"}
    assert set(small["empty_page"]) == {"median_ms", "p95_ms"}
    assert set(small["pages"]) == set(PAGES)
    for figures in small["pages"].values():
        assert set(figures) == {"median_ms", "p95_ms", "queries", "ratio_p95"}
        assert figures["queries"] > 0
        assert figures["ratio_p95"] == pytest.approx(figures["p95_ms"] / small["empty_page"]["p95_ms"], rel=0.02)
    assert set(small["engine"]) == {"schedules_per_s_12", "schedules_per_s_52"}
    assert small["engine"]["schedules_per_s_12"] > small["engine"]["schedules_per_s_52"] > 0

    # The data set at scale 0.01: a thousand case files, 300 loans, ten timeline entries a case.
    assert CaseFile.objects.count() == 1000
    assert Loan.objects.count() == 300
    assert LedgerEntry.objects.filter(kind="repayment").count() > 1000
    for loan in Loan.objects.filter(status="repaid")[:20]:  # the ledger written as the services write it
        assert ledger_balance(loan)["owed"] == 0, loan.pk

    larger = run_bench(0.02, force=True)  # beside the first data set, in a programme of its own
    assert CaseFile.objects.count() == 3000
    for name in PAGES:
        assert larger["pages"][name]["queries"] == small["pages"][name]["queries"], name


def test_bench_refuses_a_database_with_case_files_unless_forced(world):
    with pytest.raises(CommandError, match="already holds case files"):
        call_command("bench", scale=0.01, json=True, stdout=StringIO(), stderr=StringIO())


def test_p95_is_the_nearest_rank():
    assert percentile(list(range(1, 21)), 0.95) == 19
    assert percentile([5.0], 0.95) == 5.0
