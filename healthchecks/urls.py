from django.urls import path

from . import views

app_name = "healthchecks"

urlpatterns = [
    path("cases/<int:case_pk>/health-checks/open/", views.round_open, name="open"),
    path("cases/<int:case_pk>/health-checks/<int:round_pk>/", views.round_fill, name="fill"),
    path("my/health-check/<int:round_pk>/", views.my_round_fill, name="my_fill"),
]
