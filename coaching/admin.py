from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from neem.admin import ProgrammeScopedAdmin, SuperuserOnlyAdmin

from .models import CaseEvent, CaseFile, Participant


@admin.register(Participant)
class ParticipantAdmin(SuperuserOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "phone"]
    search_fields = ["first_name", "last_name", "email", "phone"]


@admin.register(CaseFile)
class CaseFileAdmin(ProgrammeScopedAdmin, SimpleHistoryAdmin):
    programme_path = "programme"
    # The stage changes only through the app's transitions, never here.
    list_display = ["participant", "programme", "region", "adviser", "state"]
    list_filter = ["programme", "region", "state"]
    readonly_fields = ["state", "outcome", "withdrawal_reason", "closed_at", "stage_entered_at"]
    raw_id_fields = ["participant", "adviser"]


@admin.register(CaseEvent)
class CaseEventAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["case", "kind", "actor", "at", "from_state", "to_state"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


# --- Curriculum, sessions, mentoring ---------------------------------------------------------------
# Managers edit the curriculum in the app (/curriculum/), where published versions stay untouched;
# the admin is read-mostly for support.
from .models import (  # noqa: E402
    Attendance,
    ChecklistItem,
    Cohort,
    Curriculum,
    MentorMatch,
    MentorMeeting,
    Module,
    ModuleProgress,
    Session,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Curriculum)
class CurriculumAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["programme", "version", "published_at"]
    list_filter = ["programme"]


@admin.register(Module)
class ModuleAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "curriculum__programme"
    list_display = ["__str__", "curriculum", "order", "mandatory"]
    list_filter = ["curriculum"]
    inlines = [ChecklistItemInline]


@admin.register(ModuleProgress)
class ModuleProgressAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["case", "module", "status", "approved_at", "approved_by"]
    list_filter = ["status"]
    raw_id_fields = ["case", "module", "approved_by", "next_action"]
    readonly_fields = ["status", "approved_at", "approved_by"]


@admin.register(Cohort)
class CohortAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "region__programme"
    list_display = ["name", "region", "starts_on"]


@admin.register(Session)
class SessionAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "region__programme"
    list_display = ["topic", "region", "kind", "starts_at", "adviser", "attendance_taken_at"]
    list_filter = ["region", "kind"]
    raw_id_fields = ["case", "next_action"]


@admin.register(Attendance)
class AttendanceAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "session__region__programme"
    list_display = ["session", "case", "status"]
    raw_id_fields = ["session", "case"]


@admin.register(MentorMatch)
class MentorMatchAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["mentor", "case", "started_on", "ended_on"]
    raw_id_fields = ["case"]


@admin.register(MentorMeeting)
class MentorMeetingAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "match__case__programme"
    list_display = ["match", "date", "topic"]
