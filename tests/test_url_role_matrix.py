"""Every URL of the project, as every role: the status each one gets, and never the data when refused.

The table below is the access contract. A new URL pattern fails `test_every_url_has_a_row` (and its
own rows) until somebody writes down who may reach it.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coaching.models import CaseEvent, CaseFile, NextAction, Note

from .conftest import ROLES
from .factories import NextActionFactory

pytestmark = pytest.mark.django_db

# Third-party and framework URLs, tested on their own below or not ours to test.
SKIPPED_PREFIXES = ("admin/", "cms-admin/", "accounts/", "documents/", "i18n/", "static/", "media/")
SKIPPED_MODULES = ("wagtail.", "allauth.", "django.")


def _module_name(resolver: URLResolver) -> str:
    urlconf = resolver.urlconf_name
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")


def project_urls(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str, list[str]]]:
    """(qualified name, route, parameter names) of every pattern that is ours."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            if _module_name(entry).startswith(SKIPPED_MODULES):
                continue
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            found += project_urls(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(part for part in (namespace, entry.name) if part)
            assert entry.name, f"URL pattern {route!r} has no name; the matrix needs one"
            found.append((name, route, list(entry.pattern.regex.groupindex)))
    return found


URLS = project_urls()

# How each parameter is filled: with the participant's case and what hangs on it.
PARAMETERS = {
    "pk": lambda w: w.case.pk,
    "action_pk": lambda w: w.action.pk,
}
PARAMETER_OVERRIDES = {
    ("coaching:participant_edit", "pk"): lambda w: w.case.participant.pk,
}

# Views that only take POST: the form a forger would send (valid, so the permission is what stops her).
POST_ONLY = {
    "coaching:case_transition": lambda w: {"transition": "withdraw", "reason": "other", "expected_state": "coaching"},
    "coaching:case_check_eligibility": lambda w: {},
    "coaching:note_add": lambda w: {"text": "Forged note"},
    "coaching:next_action_add": lambda w: {"title": "Forged action", "due_date": str(date.today() + timedelta(1))},
    "coaching:next_action_done": lambda w: {},
}


def row(default: int, anonymous: int = 302, **exceptions: int) -> dict[str, int]:
    return {role: exceptions.get(role, default) for role in ROLES if role != "anonymous"} | {"anonymous": anonymous}


CASE_READERS = {"adviser": 200, "colleague": 200, "lead": 200, "manager": 200, "administrator": 200}
CASE_WORKERS = {"adviser": 302, "colleague": 403, "lead": 302, "manager": 403, "administrator": 403}

EXPECTED: dict[str, dict[str, int]] = {
    "home": row(302),
    "committee_queue": row(403, committee=200),
    "coaching:caseload": row(403, other_adviser=200, **CASE_READERS),
    "coaching:case_detail": row(404, **CASE_READERS),
    "coaching:case_transition": row(404, **CASE_WORKERS),
    "coaching:case_check_eligibility": row(404, **CASE_WORKERS),
    "coaching:case_assign": row(404, adviser=403, colleague=403, lead=200, manager=200, administrator=403),
    "coaching:note_add": row(404, **CASE_WORKERS),
    "coaching:next_action_add": row(404, **CASE_WORKERS),
    "coaching:next_action_done": row(404, **CASE_WORKERS),
    "coaching:participant_create": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "coaching:participant_edit": row(404, adviser=200, colleague=403, lead=200, manager=200, administrator=403),
    "coaching:my_page": row(404, participant=200, other_participant=200),
}


# === Rows added by later work, kept together ======================================================
EXPECTED |= {
    # --- outcomes: dashboard, exports, indicators, import (branch: outcomes) ---
    # Dashboard and indicator exports: managers (programme) and advisers/leads (their regions); participant-level
    # exports, indicators and import: managers only (evaluators, not in this world, are tested in tests/outcomes).
    "outcomes:dashboard": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_indicators_csv": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_indicators_xlsx": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:report_pdf": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_participants_csv": row(403, manager=200),
    "outcomes:export_participants_xlsx": row(403, manager=200),
    "outcomes:indicators": row(403, manager=200),
    "outcomes:social_enterprises": row(403, manager=200),
    "outcomes:indicator_edit": row(403, manager=200),
    "outcomes:import": row(403, manager=200),
    "outcomes:import_map": row(403, manager=302),  # no upload in the session: back to the upload form
    # --- participants: her pages, documents, messages, invitation, check-in (branch: mypath) ---------
    "participants:my_reminders": row(404, participant=302, other_participant=302),
    "participants:my_messages": row(404, participant=200),
    "participants:my_documents": row(404, participant=200),
    "participants:document_download": row(404, participant=200, **CASE_READERS),
    "participants:document_delete": row(404, adviser=302, lead=302),
    "participants:case_invite": row(404, **CASE_WORKERS),
    "participants:case_message": row(404, **CASE_WORKERS),
    "participants:case_document": row(404, **CASE_WORKERS),
    "participants:check_in": row(200, anonymous=200),  # public: the signed token is the key
}


def _mypath_pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _mypath_document(w):
    from participants.services import document_upload

    return document_upload(by=w.adviser, case=w.case, upload=_mypath_pdf("quote.pdf"), kind="quote").pk


def _mypath_check_in_token(w):
    from participants.checkins import make_token
    from participants.models import CheckIn

    return make_token(CheckIn.objects.get_or_create(case=w.case, months=6)[0])


PARAMETERS.setdefault("case_pk", lambda w: w.case.pk)
PARAMETERS |= {"document_pk": _mypath_document, "token": _mypath_check_in_token}
POST_ONLY |= {
    "participants:my_reminders": lambda w: {"email": "on"},
    "participants:document_delete": lambda w: {},
    "participants:case_invite": lambda w: {"email": w.participant.email},
    "participants:case_message": lambda w: {"text": "Forged message"},
    "participants:case_document": lambda w: {"kind": "quote", "file": _mypath_pdf("forged.pdf")},
}
# --- end of participants (branch: mypath) -----------------------------------------------------------


def test_every_url_has_a_row():
    missing = sorted({name for name, _route, _params in URLS} - set(EXPECTED))
    assert not missing, f"URL patterns without a row in EXPECTED (say who may reach them): {missing}"
    stale = sorted(set(EXPECTED) - {name for name, _route, _params in URLS})
    assert not stale, f"Rows in EXPECTED for URL patterns that no longer exist: {stale}"


def test_the_walk_found_the_project_urls():
    # If the walk breaks (e.g. a prefix rule swallows everything), the matrix would pass vacuously.
    names = {name for name, _route, _params in URLS}
    assert {"home", "coaching:case_detail", "coaching:next_action_done", "coaching:my_page"} <= names
    assert not any(name.startswith(("wagtail", "account_", "admin:")) for name in names)


def build_url(world, name: str, params: list[str]) -> str:
    kwargs = {}
    for param in params:
        fill = PARAMETER_OVERRIDES.get((name, param)) or PARAMETERS.get(param)
        if fill is None:
            pytest.fail(f"No way to fill the parameter {param!r} of {name!r}: add it to PARAMETERS")
        kwargs[param] = fill(world)
    return reverse(name, kwargs=kwargs)


def snapshot(world) -> tuple:
    case = CaseFile.objects.get(pk=world.case.pk)
    return (
        case.state,
        case.adviser_id,
        case.eligibility_checked_at,
        CaseEvent.objects.filter(case=case).count(),
        Note.objects.filter(case=case).count(),
        NextAction.objects.filter(case=case, done_at__isnull=True).count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "route", "params"), URLS, ids=[name for name, _r, _p in URLS])
def test_url_as_role(world, client_for, name, route, params, role):
    expected_row = EXPECTED.get(name)
    if expected_row is None:
        pytest.fail(f"URL pattern {name!r} ({route}) has no row in EXPECTED: add the status every role gets")
    expected = expected_row[role]
    url = build_url(world, name, params)
    client = client_for(getattr(world, role))
    before = snapshot(world)

    if name in POST_ONLY:
        response = client.post(url, POST_ONLY[name](world))
    else:
        response = client.get(url)

    assert response.status_code == expected, f"{role} on {url}: {response.status_code}, expected {expected}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    if expected in (403, 404):
        body = response.content.decode()
        assert world.case.participant.phone not in body
        assert "Yusuf" not in body
        assert snapshot(world) == before, "a refused request changed the case"


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_views_refuse_get(world, client_for, name):
    params = next(p for n, _r, p in URLS if n == name)
    response = client_for(world.adviser).get(build_url(world, name, params))
    assert response.status_code == 405


def test_a_participant_sees_only_her_own_page(world, client_for):
    body = client_for(world.other_participant).get("/my/").content.decode()
    assert "Rania" in body
    assert "Yusuf" not in body
    assert world.adviser.email not in body


# --- The admins ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["participant", "committee", "adviser", "manager"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/coaching/casefile/", "/cms-admin/", "/cms-admin/pages/"])
def test_people_without_admin_rights_cannot_reach_the_admins(world, client_for, who, url):
    client = client_for(getattr(world, who))

    response = client.get(url, follow=True)

    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    assert response.status_code == 403 or final.startswith("/accounts/login/"), (response.status_code, final)
    assert "Yusuf" not in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/", "/cms-admin/"])
def test_anonymous_admin_visit_ends_on_the_allauth_login(world, client_for, url):
    response = client_for(None).get(url, follow=True)

    assert response.status_code == 200
    assert unquote(response.redirect_chain[-1][0]) == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/admin/login/", "/cms-admin/login/"])
def test_admin_login_pages_redirect_to_allauth(client, url):
    response = client.get(url + "?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_staff_administrator_reaches_the_django_admin(world, client_for):
    assert client_for(world.administrator).get("/admin/").status_code == 200


def test_an_action_of_another_case_cannot_be_completed_through_a_case_she_may_work_on(world, client_for):
    foreign = NextActionFactory(case=world.other_case)

    response = client_for(world.adviser).post(f"/cases/{world.case.pk}/actions/{foreign.pk}/done/")

    assert response.status_code == 404
    assert NextAction.objects.get(pk=foreign.pk).done_at is None
