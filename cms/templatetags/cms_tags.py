"""Template helpers of the public site: its menu, its language links and absolute URLs."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    if site is None:
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def site_home(context):
    """The home page in the active language (or the default one)."""
    root = _site_root(context.get("request"))
    return root.localized if root else None


@register.simple_tag(takes_context=True)
def public_menu(context):
    home = site_home(context)
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu().specific())


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """A link per language: the page's own translation, else that language's home page."""
    request = context.get("request")
    current = get_language()
    root = _site_root(request)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    translations = {}
    if isinstance(page, Page):
        for translation in page.get_translations(inclusive=True).live().public().select_related("locale"):
            translations[translation.locale.language_code] = translation
    homes = {}
    if root is not None:
        for home in root.get_translations(inclusive=True).live().select_related("locale"):
            homes[home.locale.language_code] = home
    links = []
    for code, _name in settings.LANGUAGES:
        if isinstance(page, Page):
            if code not in locales:
                continue
            target = translations.get(code) or homes.get(code)
            if target is None:
                continue
            url = target.get_url(request)
            exact = code in translations
        else:
            url = translate_url(request.get_full_path(), code) if request else f"/{code}/"
            exact = True
        info = get_language_info(code)
        links.append(
            {"code": code, "name": capfirst(info["name_local"]), "url": url, "current": code == current, "exact": exact}
        )
    return links


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    request = context.get("request")
    if not url or url.startswith(("http://", "https://")):
        return url or ""
    return request.build_absolute_uri(url) if request else url
