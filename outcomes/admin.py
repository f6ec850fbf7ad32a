from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin

from .models import CaseOutcomeDetail, ExportLog, Indicator


@admin.register(Indicator)
class IndicatorAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["label", "programme", "kind", "unit", "target_min", "target_max", "active", "order"]
    list_filter = ["programme", "active"]


@admin.register(CaseOutcomeDetail)
class CaseOutcomeDetailAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["case", "social_enterprise"]
    raw_id_fields = ["case"]


@admin.register(ExportLog)
class ExportLogAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["at", "user", "programme", "what", "personal", "row_count"]
    list_filter = ["what", "personal", "programme"]
    readonly_fields = [f.name for f in ExportLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
