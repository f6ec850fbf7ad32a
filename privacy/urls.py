from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("cases/<int:pk>/personal-data/", views.case_privacy, name="case_privacy"),
    path("cases/<int:pk>/personal-data/export.json", views.export_json, name="export_json"),
    path("cases/<int:pk>/personal-data/export.pdf", views.export_pdf, name="export_pdf"),
    path("cases/<int:pk>/personal-data/erase/", views.erase, name="erase"),
    path("cases/<int:pk>/personal-data/consents/", views.consent_add, name="consent_add"),
    path(
        "cases/<int:pk>/personal-data/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("personal-data/access-log/", views.access_log, name="access_log"),
    path("my/data.json", views.my_data_json, name="my_data_json"),
    path("my/data.pdf", views.my_data_pdf, name="my_data_pdf"),
]
