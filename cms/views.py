"""Public views: the sign-up POST of a page, search, robots.txt and the sitemap of every language."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page

from coaching.errors import Refused

from . import services
from .forms import SignUpForm, new_timestamp
from .models import StoryPage

logger = logging.getLogger(__name__)
HOUR = 60 * 60


def client_ip(request) -> str:
    """The address our own proxy saw (the last X-Forwarded-For entry), else the socket's."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        count = 1
    return count > limit


def _render_form(request, page, form, *, status: int):
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


def sign_up(request, *, page):
    """POST of the sign-up form on a workshop or 'I am interested' page."""
    form = SignUpForm(request.POST, page=page)
    if not form.is_valid():
        if "started" in form.errors:
            data = request.POST.copy()
            data["started"] = new_timestamp()
            form.data = data
        return _render_form(request, page, form, status=400)
    if _over_limit(f"cms-signup-ip:{client_ip(request)}", settings.NEEM_SIGNUP_LIMIT_PER_IP) or _over_limit(
        f"cms-signup-email:{form.cleaned_data['email'].strip().lower()}", settings.NEEM_SIGNUP_LIMIT_PER_EMAIL
    ):
        form.add_error(None, _("We have received many sign-ups from you in a short time. Please try again in an hour."))
        return _render_form(request, page, form, status=429)
    if form.is_spam:
        # Looks like a success, so the robot learns nothing; nothing is stored.
        logger.info("Sign-up honeypot filled on page %s", page.pk)
        messages.success(request, _("Thank you! We have received your sign-up."))
        return redirect(page.get_url(request) + "#main")
    data = form.cleaned_data
    try:
        result = services.sign_up(
            page=page,
            data={
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "email": data["email"],
                "phone": data["phone"],
                "consent_text_version": form.consent_text_version,
                # The words she agreed to, in the language of the page she read them on.
                "consent_wording": form.consent_wording,
                "consent_language": get_language(),
            },
            region=data["region"],
            source=data["heard_from"],
            language=data["preferred_language"],
            waiting_list=data["waiting_list"],
        )
    except Refused as exc:
        form.add_error(None, exc.message)
        if isinstance(exc, services.WorkshopFull):
            form.data = form.data.copy()
            form.data["waiting_list"] = "True"
        return _render_form(request, page, form, status=409)
    messages.success(request, _confirmation_message(page, result, data))
    # To the top of the page, where the confirmation is (the form's #sign-up would be kept otherwise).
    return redirect(page.get_url(request) + "#main")


def _confirmation_message(page, result, data) -> str:
    values = {"name": data["first_name"], "email": data["email"]}
    if result.registration is None:
        return (
            _("Thank you, %(name)s! An adviser will contact you soon. We have sent a confirmation to %(email)s.")
            % values
        )
    values["date"] = date_format(page.date, "DATE_FORMAT")
    if result.already_registered:
        return _("You were already signed up for this workshop, %(name)s. See you on %(date)s!") % values
    if result.waiting_list:
        return (
            _(
                "Thank you, %(name)s! The workshop is full, so you are on the waiting list. "
                "We have sent a confirmation to %(email)s."
            )
            % values
        )
    return _("Thank you, %(name)s! Your seat on %(date)s is booked. We have sent a confirmation to %(email)s.") % values


@require_GET
def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    results = []
    if query:
        found = Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query)
        results = [page for page in found[:100] if not isinstance(page, StoryPage) or page.is_publishable]
    page_obj = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "results": page_obj})


@require_GET
@cache_control(max_age=HOUR, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /cms-admin/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /cases/",
        "Disallow: /participants/",
        "Disallow: /my/",
        "Disallow: /home/",
        "Disallow: /committee/",
        "Disallow: /*/search/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class AllLanguagesSitemap(Sitemap):
    """Wagtail's sitemap covers one tree; this one covers the site's home page in every language."""

    def items(self):
        from django.db.models import Q

        site = self.get_wagtail_site()
        condition = Q(pk__in=[])
        for root in site.root_page.get_translations(inclusive=True):
            condition |= Q(path__startswith=root.path)
        return Page.objects.live().public().filter(condition).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        # Wagtail writes the Site record's host; the demo's default site answers on any host, so
        # the addresses follow the request instead.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = self.request.build_absolute_uri(urlsplit(url["location"]).path)
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap(request)})
