"""Every kind of page the demo shows, as each demo login: no server error, and no link that leads nowhere.

The demo (`seed_demo`) exercises every capability, so following the links each demo user is shown reaches each
kind of page with real data. `.ci/run` also runs this file on SQLite, the database of `make run`, which the rest of
CI (on PostgreSQL) does not touch.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from neem.management.commands.seed_demo import LOGINS
from neem.models import User

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
# Not ours to crawl (the admins, files, the API and its docs) or not a page (log out, downloads made on demand).
SKIP = ("/static/", "/media/", "/cms-admin/", "/admin/", "/django-admin/", "/api/", "/accounts/logout/")
SKIP_SUFFIXES = (".pdf", ".csv", ".xml", ".zip", ".xlsx", ".sie", ".ics")
PAGES_PER_LOGIN = 120


def kind_of(url: str) -> str:
    """One page of each kind: ids and dates collapse (`/cases/12/` and `/cases/13/` are the same kind)."""
    parts = urlsplit(url)
    query = "&".join(sorted(re.sub(r"=.*", "", pair) for pair in parts.query.split("&") if pair))
    tab = re.search(r"(?:^|&)tab=([a-z-]+)", parts.query)
    return re.sub(r"\d+", "N", parts.path) + "?" + query + (f"#{tab.group(1)}" if tab else "")


def crawl(client: Client, start: str) -> dict[str, tuple[int, str]]:
    """GET every kind of page linked from `start` on, breadth first: {url: (status, the page that linked it)}."""
    seen_kinds: set[str] = set()
    statuses: dict[str, tuple[int, str]] = {}
    queue = deque([(start, "(start)")])
    while queue and len(statuses) < PAGES_PER_LOGIN:
        url, referrer = queue.popleft()
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(url, follow=True)
        statuses[url] = (response.status_code, referrer)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        here = response.redirect_chain[-1][0] if response.redirect_chain else url
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if link.startswith("?"):
                link = urlsplit(here).path + link
            if not link.startswith("/") or link.startswith("//") or link.startswith(SKIP):
                continue
            if urlsplit(link).path.endswith(SKIP_SUFFIXES):
                continue
            if kind_of(link) not in seen_kinds:
                queue.append((link, here))
    return statuses


def test_every_demo_login_reaches_every_page_it_is_shown_without_an_error():
    call_command("seed_demo", quiet=True)
    problems = []
    pages: dict[str, int] = {}
    adviser_kinds: set[str] = set()
    for email, _what in LOGINS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        statuses = crawl(client, "/home/")
        pages[email] = len(statuses)
        if email == "adviser.stockholm@example.com":
            adviser_kinds = {kind_of(url) for url in statuses}
        problems += [
            f"{email}: {url} answered {status} (linked from {referrer})"
            for url, (status, referrer) in statuses.items()
            if status >= 500 or status == 404
        ]
    assert not problems, "\n".join(problems)
    # The crawl reached the demo's pages, not just the landing pages.
    assert sum(pages.values()) > 150, pages
    assert pages["adviser.stockholm@example.com"] >= 20, pages
    assert {f"/cases/N/?tab#{tab}" for tab in ("coaching", "plan", "loan", "pages")} <= adviser_kinds
