from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views

from . import views

# Every login door goes through allauth, so MFA and its rate limits apply everywhere.
login_through_allauth = RedirectView.as_view(pattern_name="account_login", query_string=True)

# Staff URLs carry no language prefix; the public site's pages do (/en/..., /sv/...).
urlpatterns = [
    path("admin/login/", login_through_allauth),
    path("admin/", admin.site.urls),
    path("cms-admin/login/", login_through_allauth),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("home/", views.home, name="home"),
    path("committee/", views.committee_queue, name="committee_queue"),
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("", include("coaching.urls")),
    path("", include("loans.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site, one tree per language; Wagtail's catch-all comes last. "/" redirects to the
# visitor's language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("search/", cms_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
