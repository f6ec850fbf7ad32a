from django.contrib import admin

from .models import CheckIn, Document, Message, ReminderLog, ReminderPreference


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "case", "kind", "size", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    # The file is served only through the checking view, never by an admin link.
    exclude = ["file"]
    readonly_fields = ["case", "uploaded_by", "original_name", "content_type", "size", "sha256", "created_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "channel", "recipient", "sent_at"]
    list_filter = ["kind", "channel"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["case", "months", "sent_at", "answered_at"]


admin.site.register(Message)
admin.site.register(ReminderPreference)
