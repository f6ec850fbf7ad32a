from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin, SuperuserOnlyAdmin

from .models import CreditStatement, SavingsGroup, SavingsPolicy


@admin.register(SavingsPolicy)
class SavingsPolicyAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["programme", "required"]


@admin.register(SavingsGroup)
class SavingsGroupAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    # Members, money and meetings are kept on the group's page, where the ledger rules apply.
    list_display = ["name", "region", "cohort", "created_at"]
    list_filter = ["programme", "region"]
    search_fields = ["name", "cohort"]


@admin.register(CreditStatement)
class CreditStatementAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["participant", "issued_at", "language", "revoked_at"]
    readonly_fields = [f.name for f in CreditStatement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
