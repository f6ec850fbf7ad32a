"""Hardening: login rate limits, MFA on every login door, the Content-Security-Policy, upload limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from coaching.curriculum_forms import ResourceForm
from neem import csp
from neem.settings import base as base_settings

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth counts attempts in the cache.
    cache.clear()
    yield
    cache.clear()


def login(client: Client, email: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"login": email, "password": password})


# --- Failed-login throttling (allauth's ACCOUNT_RATE_LIMITS, the production values) ----------------------


@override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS)
def test_repeated_failed_logins_for_one_account_are_throttled_even_with_the_right_password(world):
    client = Client()
    for _ in range(5):
        response = login(client, world.adviser.email, "wrong-password-guess")
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated

    response = login(client, world.adviser.email, "wrong-password-guess")
    assert "Too many failed login attempts" in response.content.decode()
    # The sixth try within five minutes is refused even when it is right.
    response = login(client, world.adviser.email, PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS)
def test_another_account_can_still_log_in_while_one_is_throttled(world):
    client = Client()
    for _ in range(6):
        login(client, world.adviser.email, "wrong-password-guess")

    response = login(client, world.colleague.email, PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user == world.colleague


@override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS)
def test_one_address_guessing_across_accounts_is_throttled(world):
    client = Client()
    users = [UserFactory() for _ in range(5)]
    for i in range(20):
        login(client, users[i % 5].email, f"guess-{i}")

    # Twenty failures a minute from one address: the next try of any account from it is refused.
    response = login(client, world.colleague.email, PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()
    # ...while another address is not affected.
    response = Client(REMOTE_ADDR="10.0.0.2").post(
        "/accounts/login/", {"login": world.colleague.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_relaxed_limits_of_test_and_development():
    from neem.settings import dev, test

    assert test.ACCOUNT_RATE_LIMITS is False
    assert dev.ACCOUNT_RATE_LIMITS["login_failed"] == "100/m/ip,20/5m/key"


# --- MFA on every login door ---------------------------------------------------------------------------


def totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def superuser_with_totp(db):
    user = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


DOORS = ["/accounts/login/", "/admin/", "/cms-admin/"]


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
@pytest.mark.parametrize("door", DOORS)
def test_every_login_door_asks_for_the_totp_code(superuser_with_totp, door):
    user, secret = superuser_with_totp
    client = Client()

    # Each door leads to allauth's login form (the admins' own login pages redirect there).
    page = client.get(door, follow=True)
    login_url = page.redirect_chain[-1][0] if page.redirect_chain else door
    assert login_url.startswith("/accounts/login/")
    response = client.post(login_url, {"login": user.email, "password": PASSWORD})

    # The right password is not enough: allauth's MFA stage, and nobody is logged in yet.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/home/").status_code == 302
    assert client.get("/admin/").status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/cms-admin/").status_code == 200


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
@pytest.mark.parametrize("door", ["/admin/login/", "/cms-admin/login/"])
def test_the_admins_own_login_forms_never_log_anybody_in(door):
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()

    response = client.post(door, {"username": user.email, "password": PASSWORD, "login": user.email})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not client.get("/home/").wsgi_request.user.is_authenticated


@override_settings(NEEM_ENFORCE_STAFF_MFA=True)
@pytest.mark.parametrize("door", ["/home/", "/admin/", "/cms-admin/", "/cases/"])
def test_staff_without_totp_are_sent_to_set_it_up_behind_every_door(door):
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)

    response = client.get(door)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_django_admin_password_change_is_allauths(client_for):
    user = UserFactory(is_staff=True, is_superuser=True)
    response = client_for(user).get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


@pytest.mark.parametrize("path", ["/cms-admin/password_reset/", "/cms-admin/account/change_password/"])
def test_wagtail_does_not_offer_its_own_password_forms(path, client_for):
    user = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(user).get(path).status_code == 404


# --- Content-Security-Policy ------------------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


@pytest.mark.parametrize("who", ["anonymous", "participant", "adviser", "manager", "committee"])
@pytest.mark.parametrize("path", ["/accounts/login/", "/home/", "/my/", "/cases/", "/loans/calculator/"])
def test_every_page_has_a_policy_without_inline_script_or_style(world, client_for, who, path):
    response = client_for(getattr(world, who)).get(path, follow=True)

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_django_admin_allows_no_inline_script():
    policy = directives(csp.policy_for("/admin/neem/user/"))
    assert policy["script-src"] == ["'self'"]


def test_only_the_wagtail_admin_allows_inline_script():
    policy = directives(csp.policy_for("/cms-admin/pages/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert directives(csp.policy_for("/en/"))["script-src"] == ["'self'"]
    assert directives(csp.policy_for("/cms-admins/"))["script-src"] == ["'self'"]


@override_settings(STRIPE_JS_URL="http://127.0.0.1:8420/js.stripe.com/v3/")
def test_the_card_page_policy_names_the_configured_stripe_js_and_no_other_page_does():
    policy = directives(csp.policy_for("/loans/1/pay/2/", stripe=True))
    assert policy["script-src"] == ["'self'", "http://127.0.0.1:8420"]
    assert policy["connect-src"] == ["'self'", "http://127.0.0.1:8420"]
    assert policy["frame-src"] == ["http://127.0.0.1:8420"]
    assert "127.0.0.1:8420" not in csp.policy_for("/loans/1/")


@override_settings(STRIPE_JS_URL="https://js.stripe.com/v3/", STRIPE_API_BASE="")
def test_the_card_page_policy_for_stripe_itself():
    policy = directives(csp.policy_for("/loans/1/pay/2/", stripe=True))
    assert policy["script-src"] == ["'self'", "https://js.stripe.com"]
    assert policy["frame-src"] == ["https://js.stripe.com", "https://hooks.stripe.com"]
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
# Templates rendered only into PDFs by WeasyPrint, never served to a browser.
PDF_ONLY = re.compile(r"_pdf\.html$|pdf_base\.html$|pdf_fonts\.html$")


def test_no_template_served_to_a_browser_has_inline_script_handlers_or_styles():
    offenders = []
    for template in sorted((REPO / "templates").rglob("*.html")):
        text = template.read_text()
        if PDF_ONLY.search(template.name):
            continue
        name = template.relative_to(REPO)
        if INLINE_SCRIPT.search(text):
            offenders.append(f"{name}: inline <script>")
        if EVENT_HANDLER.search(text):
            offenders.append(f"{name}: inline event handler")
        if STYLE_ATTRIBUTE.search(text) or "<style" in text:
            offenders.append(f"{name}: inline style")
    assert offenders == []


# --- Upload limits ----------------------------------------------------------------------------------------


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert int(2.5 * 1024 * 1024) == settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert settings.NEEM_DOCUMENT_MAX_BYTES == 10 * 1024 * 1024


def test_a_request_body_over_the_limit_is_refused_with_400(world, client_for):
    client = client_for(world.adviser)
    huge = "x" * (5 * 1024 * 1024 + 1)

    response = client.post(reverse("coaching:note_add", args=[world.case.pk]), {"text": huge})

    assert response.status_code == 400


def test_too_many_files_in_one_request_are_refused_with_400(world, client_for):
    client = client_for(world.participant)
    files = {f"file{i}": SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4\n") for i in range(21)}

    response = client.post(f"/my/documents/{world.case.pk}/", files)

    assert response.status_code == 400


@override_settings(NEEM_CURRICULUM_FILE_MAX_BYTES=1024)
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", b"%PDF-1.4\n" + b"x" * 2048, "too large"),
        ("page.html", b"<script>alert(1)</script>", "cannot be uploaded"),
        ("tool.js", b"alert(1)", "cannot be uploaded"),
        ("image.svg", b"<svg onload=alert(1)>", "cannot be uploaded"),
    ],
)
def test_curriculum_files_have_a_size_limit_and_only_readable_kinds(name, content, message):
    form = ResourceForm(
        {"title_en": "Material", "title_sv": "Material"},
        {"file": SimpleUploadedFile(name, content)},
    )

    assert not form.is_valid()
    assert message in str(form.errors["file"])


def test_a_curriculum_pdf_within_the_limit_is_accepted():
    form = ResourceForm(
        {"title_en": "Material", "title_sv": "Material"},
        {"file": SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n")},
    )

    assert form.is_valid(), form.errors


# --- NUL characters and ids no database can hold ------------------------------------------------------


@pytest.mark.parametrize("url", ["/cases/?q=a%00b", "/en/search/?q=%00", "/en/%00/", "/home/?x%00=1"])
def test_a_nul_character_in_the_address_gets_400(world, client_for, url):
    assert client_for(world.adviser).get(url).status_code == 400


@pytest.mark.parametrize("value", ["", "0", "-1", "²", "٣", "9" * 30, "1e3", " 1", "abc"])
def test_positive_int_refuses_what_int_or_the_database_cannot_take(value):
    from neem.params import positive_int

    assert positive_int(value) is None


def test_positive_int_reads_an_id():
    from neem.params import positive_int

    assert positive_int("42") == 42
    assert positive_int(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("value", ["²", "9" * 30, "abc", "-1"])
def test_odd_ids_in_addresses_and_checkboxes_are_not_server_errors(world, client_for, value):
    from plans import services as plan_services

    plan_services.plan_save_sections(case=world.case, by=world.adviser, sections={"business_idea": "A studio"})
    manager, lead = client_for(world.manager), client_for(world.lead)

    assert manager.get("/outcomes/", {"programme": value}).status_code == 200
    assert manager.post("/outcomes/social-enterprises/", {"social": [value]}).status_code == 302
    assert lead.get(f"/teams/{world.north.pk}/hand-over/", {"from_adviser": value}).status_code == 200
    plan = f"/cases/{world.case.pk}/plan/"
    assert client_for(world.adviser).get(plan, {"version": value}).status_code == 404
    assert client_for(world.adviser).get(plan + "compare/", {"a": "1", "b": value}).status_code == 404
