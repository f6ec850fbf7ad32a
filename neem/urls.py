from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views

from . import staff_views, views

# Staff URLs carry no language prefix; the public site's pages do (/en/..., /sv/...).
urlpatterns = [
    # Every login door goes through allauth, so MFA and its rate limits apply everywhere.
    path("admin/login/", views.admin_login_door),
    # Passwords change through allauth too (re-entering the old one, its rate limits), not Django's admin.
    path("admin/password_change/", RedirectView.as_view(pattern_name="account_change_password")),
    path("admin/", admin.site.urls),
    path("cms-admin/login/", views.admin_login_door),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # reach: her language on her profile (under accounts/, beside allauth's e-mail and password pages).
    path("accounts/language/", views.account_language, name="account_language"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("home/", views.home, name="home"),
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/invite/", staff_views.staff_invite, name="staff_invite"),
    path("staff/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/deactivate/", staff_views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", staff_views.staff_reactivate, name="staff_reactivate"),
    path("staff/<int:pk>/reset-mfa/", staff_views.staff_reset_mfa, name="staff_reset_mfa"),
    path("staff/<int:pk>/roles/<int:membership_pk>/remove/", staff_views.role_remove, name="staff_role_remove"),
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("", include("coaching.urls")),
    path("", include("loans.urls")),
    path("", include("plans.urls")),
    path("", include("healthchecks.urls")),
    path("", include("portfolio.urls")),
    path("", include("outcomes.urls")),
    path("", include("participants.urls")),
    path("api/", include("api.urls")),
    path("", include("banking.urls")),
    path("", include("privacy.urls")),
    path("", include("perf.urls")),
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
