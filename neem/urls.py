from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    # Every login door goes through allauth, so MFA and its rate limits apply everywhere.
    path("admin/login/", views.admin_login_door),
    path("admin/", admin.site.urls),
    path("cms-admin/login/", views.admin_login_door),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("home/", views.home, name="home"),
    path("committee/", views.committee_queue, name="committee_queue"),
    path("", include("coaching.urls")),
    path("", include("loans.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all comes last.
urlpatterns += [path("", include(wagtail_urls))]
