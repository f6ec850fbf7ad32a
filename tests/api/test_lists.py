"""Lists: pages, filters, and a number of queries that does not grow with the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import CaseFile, Stage
from coaching.session_models import Session
from tests.factories import CaseFileFactory

from .conftest import ApiClient, add_session_and_loan, make_token

pytestmark = pytest.mark.django_db


def _more_cases(world, n: int, **fields):
    return [
        CaseFileFactory(region=world.north, adviser=world.adviser, **{"state": Stage.INTAKE, **fields})
        for _ in range(n)
    ]


def test_pages_walk_the_whole_list_once(world):
    _more_cases(world, 6)
    client = ApiClient(make_token(world.manager, world.programme))
    seen, offset, pages = [], 0, 0

    while offset is not None:
        page = client.get("/api/v1/cases", {"limit": 3, "offset": offset}).json()
        assert page["count"] == 8 and page["limit"] == 3 and page["offset"] == offset
        seen += [item["id"] for item in page["items"]]
        offset, pages = page["next_offset"], pages + 1

    assert pages == 3
    assert sorted(seen) == sorted(CaseFile.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_an_offset_past_the_end_is_an_empty_page(world):
    page = ApiClient(make_token(world.manager, world.programme)).get("/api/v1/cases", {"offset": 100}).json()

    assert page == {"count": 2, "limit": 50, "offset": 100, "next_offset": None, "items": []}


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"state": "asleep"}, {"updated_since": "yesterday"}]
)
def test_bad_paging_or_filters_are_422_with_the_parameter(world, params):
    response = ApiClient(make_token(world.manager, world.programme)).get("/api/v1/cases", params)

    assert response.status_code == 422
    assert set(params) <= {e["field"] for e in response.json()["errors"]}


def test_cases_filter_by_stage_region_adviser_and_update_time(world):
    intake = _more_cases(world, 2)
    client = ApiClient(make_token(world.manager, world.programme))
    old = timezone.now() - timedelta(days=3)
    CaseFile.objects.exclude(pk=intake[0].pk).update(updated_at=old)

    def ids(**params):
        return {item["id"] for item in client.get("/api/v1/cases", params).json()["items"]}

    assert ids(state="intake") == {intake[0].pk, intake[1].pk, world.other_case.pk}
    assert ids(region=world.south.pk) == {world.other_case.pk}
    assert ids(adviser=world.other_adviser.pk) == {world.other_case.pk}
    assert ids(updated_since=(old + timedelta(days=1)).isoformat()) == {intake[0].pk}
    assert ids(state="intake", region=world.north.pk) == {intake[0].pk, intake[1].pk}


def test_sessions_and_loans_filter(api_world):
    w = api_world
    client = ApiClient(make_token(w.manager, w.programme))

    sessions = client.get("/api/v1/sessions", {"region": w.south.pk}).json()["items"]
    loans_active = client.get("/api/v1/loans", {"status": "active"}).json()["items"]
    loans_repaid = client.get("/api/v1/loans", {"status": "repaid"}).json()["items"]

    assert [s["id"] for s in sessions] == [w.south_session.pk]
    assert [loan["id"] for loan in loans_active] == [w.loan.pk]
    assert loans_active[0]["principal"] == "12000.00"
    assert loans_repaid == []


# --- Query counts ------------------------------------------------------------------------------------
# A call costs: the token (1), last used (1), the user's roles (1), the page's count and rows, the call log (1).


def _grow(w, n: int):
    for _ in range(n):
        case = CaseFileFactory(region=w.north, adviser=w.adviser, state=Stage.COACHING)
        Session.objects.create(
            region=w.north,
            topic="More",
            starts_at=timezone.now() - timedelta(hours=2),
            place="Library",
            adviser=w.adviser,
            created_by=w.adviser,
            case=case,
            kind=Session.Kind.INDIVIDUAL,
        )


LISTS = {
    "/api/v1/cases": 6,
    "/api/v1/participants": 7,  # + her visible cases, prefetched
    "/api/v1/sessions": 6,
    "/api/v1/loans": 6,
}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_a_list_costs_the_same_queries_for_few_or_many_rows(api_world, django_assert_num_queries, path):
    w = api_world
    client = ApiClient(make_token(w.manager, w.programme))

    with django_assert_num_queries(LISTS[path]):
        few = client.get(path)
    _grow(w, 8)
    add_session_and_loan_more(w)
    with django_assert_num_queries(LISTS[path]):
        many = client.get(path)

    assert few.status_code == many.status_code == 200
    assert many.json()["count"] > few.json()["count"]


def add_session_and_loan_more(w):
    """A second loan, on another case, so the loan list grows too."""
    from types import SimpleNamespace

    other = SimpleNamespace(**vars(w))
    other.case = CaseFileFactory(region=w.north, adviser=w.adviser, state=Stage.LOAN)
    from loans.models import LoanProduct

    LoanProduct.objects.filter(programme=w.programme).update(name="Old product")
    add_session_and_loan(other)


@pytest.mark.parametrize("moment", ["0031-08-11T06:03:29-16:05", "0001-01-01T00:00:00", "9999-12-31T23:59:59-23:00"])
def test_any_iso_moment_filters_without_a_server_error(world, moment):
    """PostgreSQL refuses offsets beyond ±15:59 (found by schemathesis): the filter is compared in UTC."""
    response = ApiClient(make_token(world.manager, world.programme)).get("/api/v1/cases", {"updated_since": moment})

    assert response.status_code == 200
