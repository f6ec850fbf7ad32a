from django.urls import path

from . import views

app_name = "perf"
urlpatterns = [
    # The yardstick of `manage.py bench`: the base layout with an empty content block.
    path("perf/empty/", views.empty, name="empty"),
]
