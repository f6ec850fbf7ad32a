from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("cases/", views.CaseloadView.as_view(), name="caseload"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("cases/<int:pk>/eligibility/", views.case_check_eligibility, name="case_check_eligibility"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("cases/<int:pk>/actions/", views.next_action_add, name="next_action_add"),
    path("cases/<int:pk>/actions/<int:action_pk>/done/", views.next_action_done, name="next_action_done"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("my/", views.my_page, name="my_page"),
]
