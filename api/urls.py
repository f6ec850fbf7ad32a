from django.urls import include, path

from . import calls, views
from .v1 import api

v1_patterns, v1_app, v1_namespace = api.urls

app_name = "api"
urlpatterns = [
    path("v1/", include((calls.with_call_log(v1_patterns), v1_app), namespace=v1_namespace)),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("calls/", views.call_list, name="call_list"),
]
