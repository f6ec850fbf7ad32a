from django.urls import path

from . import casework_views, views

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
    path("cases/<int:pk>/notes/<int:note_pk>/edit/", casework_views.note_edit, name="note_edit"),
    path("cases/<int:pk>/notes/<int:note_pk>/correct/", casework_views.note_correct, name="note_correct"),
    path("today/", casework_views.today, name="today"),
    path("teams/", casework_views.teams, name="teams"),
    path("teams/<int:region_pk>/hand-over/", casework_views.hand_over, name="hand_over"),
    path("duplicates/", casework_views.duplicates, name="duplicates"),
    path("duplicates/<int:keep_pk>/<int:duplicate_pk>/merge/", casework_views.merge, name="merge"),
    path(
        "duplicates/<int:first_pk>/<int:second_pk>/dismiss/",
        casework_views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("participants/new/", views.participant_create, name="participant_create"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("my/", views.my_page, name="my_page"),
]
