from django.urls import path

from participants import views as participant_views

from . import casework_views, views

app_name = "coaching"

urlpatterns = [
    path("cases/", views.CaseloadView.as_view(), name="caseload"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/record/", views.case_record, name="case_record"),
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
    # "My path" lives in the participants app; the URL and its name stay.
    path("my/", participant_views.my_path, name="my_page"),
]

# Curriculum, module sign-off, sessions and mentoring.
from . import curriculum_views  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/modules/", curriculum_views.case_modules, name="case_modules"),
    path("cases/<int:pk>/modules/start/", curriculum_views.case_modules_start, name="case_modules_start"),
    path("cases/<int:pk>/modules/<int:progress_pk>/", curriculum_views.module_detail, name="module_detail"),
    path(
        "cases/<int:pk>/modules/<int:progress_pk>/checklist/",
        curriculum_views.module_checklist,
        name="module_checklist",
    ),
    path("cases/<int:pk>/modules/<int:progress_pk>/approve/", curriculum_views.module_approve, name="module_approve"),
    path("cases/<int:pk>/modules/<int:progress_pk>/return/", curriculum_views.module_return, name="module_return"),
    path("curriculum/", curriculum_views.curriculum_home, name="curriculum_home"),
    path("curriculum/<int:programme_pk>/", curriculum_views.curriculum, name="curriculum"),
    path("curriculum/<int:programme_pk>/v<int:version>/", curriculum_views.curriculum, name="curriculum_version"),
    path("curriculum/<int:programme_pk>/edit/", curriculum_views.curriculum_edit, name="curriculum_edit"),
    path("curriculum/<int:programme_pk>/publish/", curriculum_views.curriculum_publish, name="curriculum_publish"),
    path("curriculum/<int:programme_pk>/discard/", curriculum_views.curriculum_discard, name="curriculum_discard"),
    path("curriculum/<int:programme_pk>/modules/new/", curriculum_views.module_edit, name="module_add"),
    path("curriculum/<int:programme_pk>/modules/<int:module_pk>/", curriculum_views.module_edit, name="module_edit"),
    path(
        "curriculum/<int:programme_pk>/modules/<int:module_pk>/move/", curriculum_views.module_move, name="module_move"
    ),
    path(
        "curriculum/<int:programme_pk>/modules/<int:module_pk>/delete/",
        curriculum_views.module_delete,
        name="module_delete",
    ),
    path(
        "curriculum/<int:programme_pk>/modules/<int:module_pk>/resources/",
        curriculum_views.resource_add,
        name="resource_add",
    ),
    path(
        "curriculum/<int:programme_pk>/modules/<int:module_pk>/resources/<int:resource_pk>/delete/",
        curriculum_views.resource_delete,
        name="resource_delete",
    ),
]

from . import mentoring_views  # noqa: E402

urlpatterns += [
    path("mentor/", mentoring_views.mentor_home, name="mentor_home"),
    path("mentor/matches/<int:match_pk>/meetings/", mentoring_views.mentor_meeting_add, name="mentor_meeting_add"),
    path("cases/<int:pk>/mentor/", mentoring_views.mentor_match, name="mentor_match"),
    path("cases/<int:pk>/mentor/<int:match_pk>/end/", mentoring_views.mentor_match_end, name="mentor_match_end"),
]

from . import session_views  # noqa: E402

urlpatterns += [
    path("sessions/", session_views.session_list, name="session_list"),
    path("sessions/new/", session_views.session_edit, name="session_add"),
    path("sessions/<int:session_pk>/", session_views.session_attendance, name="session_attendance"),
    path("sessions/<int:session_pk>/edit/", session_views.session_edit, name="session_edit"),
    path("sessions/cohorts/", session_views.cohort_list, name="cohort_list"),
    path("sessions/cohorts/new/", session_views.cohort_edit, name="cohort_add"),
    path("sessions/cohorts/<int:cohort_pk>/", session_views.cohort_edit, name="cohort_edit"),
]
