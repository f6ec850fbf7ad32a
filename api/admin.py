from django.contrib import admin

from neem.admin import ProgrammeScopedAdmin

from .models import ApiCall, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    """Read and revoke here or on the app's page; tokens are created in the app or by the command (the secret
    is shown once there)."""

    list_display = ["name", "prefix", "programme", "user", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["programme"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "programme"
    list_display = ["at", "token", "method", "path", "status", "duration_ms", "ip"]
    list_filter = ["status", "method", "programme"]
    readonly_fields = [f.name for f in ApiCall._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
