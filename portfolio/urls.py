from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("savings-groups/", views.group_list, name="group_list"),
    path("savings-groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("savings-groups/<int:pk>/entries/", views.savings_entry, name="savings_entry"),
    path("savings-groups/<int:pk>/entries/<int:entry_pk>/reverse/", views.savings_reverse, name="savings_reverse"),
    path("savings-groups/<int:pk>/meetings/", views.meeting, name="meeting"),
    path("savings-groups/<int:pk>/members/", views.member_add, name="member_add"),
    path("my/credit-history/", views.my_credit_history, name="my_credit_history"),
    path("cases/<int:pk>/credit-statements/", views.case_statement_issue, name="case_statement_issue"),
    path("credit-statements/<int:pk>/revoke/", views.statement_revoke, name="statement_revoke"),
    path("cases/<int:pk>/follow-up/", views.follow_up_new, name="follow_up_new"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
]
