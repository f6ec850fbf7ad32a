from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin, SuperuserOnlyAdmin

from .models import CheckIn, Document, Message, ReminderLog, ReminderPreference


@admin.register(Document)
class DocumentAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["original_name", "case", "kind", "size", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    # The file is served only through the checking view, never by an admin link.
    exclude = ["file"]
    readonly_fields = ["case", "uploaded_by", "original_name", "content_type", "size", "sha256", "created_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["kind", "key", "channel", "recipient", "sent_at"]
    list_filter = ["kind", "channel"]


@admin.register(CheckIn)
class CheckInAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["case", "months", "sent_at", "answered_at"]


@admin.register(Message)
class MessageAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    pass
