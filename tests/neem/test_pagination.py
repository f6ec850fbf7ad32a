"""neem.pagination.get_page: the same page as Django's paginator, the first page in one query."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from neem import pagination
from neem.models import Programme

from ..factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _same(page, expected) -> None:
    assert page.number == expected.number
    assert [p.pk for p in page.object_list] == [p.pk for p in expected.object_list]
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())


@pytest.mark.parametrize("count", [0, 1, 3, 4, 7])
@pytest.mark.parametrize("number", [None, "", "1", "01", "x", "1.5", 1.0, "2", "3", "0", "-1", "99"])
def test_the_same_page_as_djangos_paginator(count, number):
    ProgrammeFactory.create_batch(count)
    programmes = Programme.objects.order_by("name", "pk")

    page = pagination.get_page(programmes, 3, number)

    _same(page, Paginator(programmes, 3).get_page(number))


def test_the_first_page_is_one_query(django_assert_num_queries):
    ProgrammeFactory.create_batch(5)

    with django_assert_num_queries(1):
        page = pagination.get_page(Programme.objects.order_by("name"), 3, None)
        assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (5, 2, 3)
