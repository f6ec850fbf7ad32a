from django.urls import path

from . import views

app_name = "plans"

MINE = {"mine": True}

urlpatterns = [
    path("cases/<int:case_pk>/plan/", views.plan_detail, name="detail"),
    path("cases/<int:case_pk>/plan/edit/", views.plan_edit, name="edit"),
    path("cases/<int:case_pk>/plan/budget/", views.plan_budget, name="budget"),
    path("cases/<int:case_pk>/plan/compare/", views.plan_compare, name="compare"),
    path("cases/<int:case_pk>/plan/pdf/", views.plan_pdf, name="pdf"),
    path("cases/<int:case_pk>/plan/comment/", views.plan_comment, name="comment"),
    path("cases/<int:case_pk>/plan/submit/", views.plan_submit, name="submit"),
    path("cases/<int:case_pk>/plan/approve/", views.plan_approve, name="approve"),
    path("cases/<int:case_pk>/plan/return/", views.plan_return, name="return"),
    path("my/plan/<int:case_pk>/", views.plan_detail, MINE, name="my_detail"),
    path("my/plan/<int:case_pk>/edit/", views.plan_edit, MINE, name="my_edit"),
    path("my/plan/<int:case_pk>/budget/", views.plan_budget, MINE, name="my_budget"),
    path("my/plan/<int:case_pk>/compare/", views.plan_compare, MINE, name="my_compare"),
    path("my/plan/<int:case_pk>/pdf/", views.plan_pdf, MINE, name="my_pdf"),
]
