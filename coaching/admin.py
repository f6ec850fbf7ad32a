from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CaseEvent, CaseFile, Participant


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "phone"]
    search_fields = ["first_name", "last_name", "email", "phone"]


@admin.register(CaseFile)
class CaseFileAdmin(SimpleHistoryAdmin):
    # The stage changes only through the app's transitions, never here.
    list_display = ["participant", "programme", "region", "adviser", "state"]
    list_filter = ["programme", "region", "state"]
    readonly_fields = ["state", "outcome", "withdrawal_reason", "closed_at", "stage_entered_at"]
    raw_id_fields = ["participant", "adviser"]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "actor", "at", "from_state", "to_state"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
