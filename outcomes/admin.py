from django.contrib import admin

from .models import CaseOutcomeDetail, ExportLog, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "programme", "kind", "unit", "target_min", "target_max", "active", "order"]
    list_filter = ["programme", "active"]


@admin.register(CaseOutcomeDetail)
class CaseOutcomeDetailAdmin(admin.ModelAdmin):
    list_display = ["case", "social_enterprise"]
    raw_id_fields = ["case"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "programme", "what", "personal", "row_count"]
    list_filter = ["what", "personal", "programme"]
    readonly_fields = [f.name for f in ExportLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
