from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("outcomes/", views.dashboard, name="dashboard"),
    path("outcomes/indicators/", views.indicator_list, name="indicators"),
    path("outcomes/indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("outcomes/social-enterprises/", views.social_enterprises, name="social_enterprises"),
    path("outcomes/export/indicators.csv", views.export_indicators_csv, name="export_indicators_csv"),
    path("outcomes/export/indicators.xlsx", views.export_indicators_xlsx, name="export_indicators_xlsx"),
    path("outcomes/export/participants.csv", views.export_participants_csv, name="export_participants_csv"),
    path("outcomes/export/participants.xlsx", views.export_participants_xlsx, name="export_participants_xlsx"),
    path("outcomes/report.pdf", views.report_pdf, name="report_pdf"),
    path("outcomes/import/", views.import_upload, name="import"),
    path("outcomes/import/columns/", views.import_map, name="import_map"),
]
