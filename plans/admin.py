from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin

from .models import BusinessPlan, PlanVersion, SectionComment


@admin.register(BusinessPlan)
class BusinessPlanAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    # Read-only: the status changes through review in the app, versions are immutable.
    list_display = ["case", "status", "latest_version", "approved_version", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["case"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "plan__case__programme"
    list_display = ["plan", "number", "created_by", "created_at", "changed"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SectionComment)
class SectionCommentAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "version__plan__case__programme"
    list_display = ["version", "section", "author", "created_at"]
