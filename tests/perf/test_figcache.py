"""Cached figures are served until a write commits, and recomputed right after it (perf.figcache)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from loans import services
from perf import figcache
from tests.loans.lending_world import active_loan, lending_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def figure_cache(settings):
    settings.NEEM_FIGURE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def outstanding(client) -> Decimal:
    response = client.get("/portfolio/?as_of=2026-03-01&period_from=2026-01-01")
    assert response.status_code == 200
    return response.context["figures"].outstanding


def test_portfolio_figures_are_cached_until_a_write_commits(figure_cache):
    world = lending_world()
    loan = active_loan(world, on=date(2026, 1, 15))
    client = Client()
    client.force_login(world.manager)
    before = outstanding(client)
    assert before == loan.principal

    with transaction.atomic():
        services.repayment_record(by=world.lead, loan_id=loan.pk, amount=Decimal("1000.00"), on=date(2026, 2, 15))
        # Not committed yet: the counter has not moved, the cached figure is served.
        assert outstanding(client) == before
    # Committed: the counter moved, the next view computes afresh (on every server: the counter is in the database).
    assert outstanding(client) == before - Decimal("1000.00") + _interest_share(loan)


def _interest_share(loan) -> Decimal:
    """What of the 1,000 went to interest rather than principal (the outstanding figure is principal)."""
    from loans.models import EntryKind, LedgerEntry

    entry = LedgerEntry.objects.get(loan=loan, kind=EntryKind.REPAYMENT)
    return Decimal("1000.00") + entry.principal


def test_one_bump_per_committed_transaction_and_none_for_a_login():
    world = lending_world()
    loan = active_loan(world, on=date(2026, 1, 15))
    version = figcache.version()
    services.repayment_record(by=world.lead, loan_id=loan.pk, amount=Decimal("100.00"), on=date(2026, 2, 15))
    figcache._forget()
    assert figcache.version() == version + 1  # a ledger entry, its allocations, maybe a next action: one bump

    with pytest.raises(RuntimeError), transaction.atomic():
        services.repayment_record(by=world.lead, loan_id=loan.pk, amount=Decimal("50.00"), on=date(2026, 2, 16))
        raise RuntimeError("rolled back")
    figcache._forget()
    assert figcache.version() == version + 1  # a rolled-back write bumps nothing

    world.manager.last_login = None
    world.manager.save()  # a login touches neem.User: no figure changes
    figcache._forget()
    assert figcache.version() == version + 1


def test_the_portfolio_names_its_regions_and_products_afresh_after_a_rename(figure_cache):
    """The filters' regions and products are cached with the figures: a rename is a write, shown at once."""
    world = lending_world()
    active_loan(world, on=date(2026, 1, 15))
    client = Client()
    client.force_login(world.manager)
    url = "/portfolio/?as_of=2026-03-01&period_from=2026-01-01"
    assert "Start-up loan" in client.get(url).content.decode()

    world.north.name = "Norrland"
    world.north.save()
    world.product.name = "Growth loan"
    world.product.save()

    body = client.get(url).content.decode()
    assert "Norrland" in body and "Growth loan" in body and "Start-up loan" not in body
