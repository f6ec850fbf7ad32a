from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin, SuperuserOnlyAdmin

from .models import ConsentText, Erasure, RetentionRule


@admin.register(ConsentText)
class ConsentTextAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["programme", "purpose", "language", "version", "published_on"]
    list_filter = ["programme", "purpose", "language"]

    def get_readonly_fields(self, request, obj=None):
        # A text somebody agreed to is never changed: a new wording is a new version.
        if obj is not None and obj.records.exists():
            return ["programme", "purpose", "language", "version", "text", "published_on"]
        return []


@admin.register(RetentionRule)
class RetentionRuleAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["programme", "years_after_closing", "active"]


@admin.register(Erasure)
class ErasureAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["pseudonym", "trigger", "at", "by"]
    readonly_fields = ["participant", "pseudonym", "trigger", "reason", "by", "at", "summary"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
