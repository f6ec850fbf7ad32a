"""A list's page with the list's count read in the same query, for the first page.

Django's paginator reads a page in two queries: a COUNT for the number of pages, then the page's rows. Most
visits to a list ask for its first page, which is always there (an empty list has an empty first page), so its
rows can carry the count: `COUNT(*) OVER ()` (the rows the query matches, before the LIMIT). One query less per
list page (manage.py bench); any other page is Django's paginator as it is.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "_neem_list_total"


def _asks_for_first_page(number) -> bool:
    """What `Paginator.get_page(number)` turns into page 1 whatever the count: 1, or not a whole number."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number) == 1
    except (TypeError, ValueError):
        return True  # PageNotAnInteger: the first page


def get_page(queryset: QuerySet, per_page: int, number) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, the first page in one query.

    The first page's `object_list` is a list of the page's rows (each with one more attribute, the count).
    """
    paginator = Paginator(queryset, per_page)
    if not _asks_for_first_page(number):
        return paginator.get_page(number)
    rows = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[:per_page])
    paginator.count = getattr(rows[0], _TOTAL) if rows else 0  # the cached_property, set
    return Page(rows, 1, paginator)  # no orphans: page 1 is the first `per_page` rows
