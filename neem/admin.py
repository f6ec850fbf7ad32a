"""The Django admin, where a programme's administrator configures her programme (not a superuser).

An administrator sees and changes only the programmes she administers and what hangs on them
(`ProgrammeScopedAdmin`): another programme's regions, roles and bank details are not listed, not reachable by URL
and not offered in a choice. Creating or deleting a programme, and giving anyone the Django admin's own powers
(`is_staff`, `is_superuser`, groups, permissions), are a superuser's; staff accounts are created and given roles
in the app (neem/staff.py).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Membership, Programme, ProgrammeTarget, Region, User


def administered(request) -> frozenset[int]:
    """The programmes the request's user administers in the Django admin."""
    return access.scope_of(request.user).admin_programmes


class ProgrammeScopedAdmin:
    """For a ModelAdmin or inline of a model that belongs to a programme through `programme_path`."""

    programme_path = "programme"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.programme_path}__in": administered(request)})

    def get_list_filter(self, request):
        # A filter by a related object offers only those of the rows she may see (not every programme's).
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [
            (name, admin.RelatedOnlyFieldListFilter) if isinstance(name, str) and self._is_relation(name) else name
            for name in filters
        ]

    def _is_relation(self, path: str) -> bool:
        from django.contrib.admin.utils import get_fields_from_path
        from django.core.exceptions import FieldDoesNotExist

        try:
            return get_fields_from_path(self.model, path)[-1].is_relation
        except (FieldDoesNotExist, admin.utils.NotRelationField):
            return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Programme:
                kwargs["queryset"] = Programme.objects.filter(pk__in=administered(request))
            elif db_field.related_model is Region:
                kwargs["queryset"] = Region.objects.filter(programme__in=administered(request))
            elif db_field.related_model is User:
                kwargs["queryset"] = administered_users(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SuperuserOnlyAdmin:
    """For a ModelAdmin of a model that belongs to no single programme (a person, her erasure): a superuser's."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def administered_users(request):
    """Users with a role in one of her programmes."""
    return User.objects.filter(memberships__programme__in=administered(request)).distinct()


class RegionInline(ProgrammeScopedAdmin, admin.TabularInline):
    model = Region
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


class TargetInline(ProgrammeScopedAdmin, admin.TabularInline):
    model = ProgrammeTarget
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "pk"
    list_display = ["name", "currency", "start_date", "end_date", "require_staff_mfa"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RegionInline, TargetInline]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipInline(ProgrammeScopedAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Region)
class RegionAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "role", "programme", "region"]
    list_filter = ["role", "programme", "region"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]
    # The admin's own powers: only a superuser gives them (a programme's administrator would otherwise make
    # herself a superuser).
    SUPERUSER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(memberships__programme__in=administered(request))).distinct()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else (*readonly, *self.SUPERUSER_FIELDS)

    def has_add_permission(self, request):
        # Staff accounts are invited in the app (neem/staff.py), with their role in her programme.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
