from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin

from .models import Area, Questionnaire, Round, Score


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["name", "programme", "active"]
    list_filter = ["programme", "active"]
    inlines = [AreaInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ["area", "value"]


@admin.register(Round)
class RoundAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "case__programme"
    list_display = ["case", "kind", "opened_at", "taken_at"]
    list_filter = ["kind"]
    raw_id_fields = ["case"]
    inlines = [ScoreInline]
