"""Staff must have set up two-factor authentication when the installation and their programme ask for it."""

from django.conf import settings
from django.shortcuts import redirect

from . import access

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/")


def staff_must_set_up_mfa(user) -> bool:
    if not settings.NEEM_ENFORCE_STAFF_MFA or not user.is_authenticated:
        return False
    scope = access.scope_of(user)
    if not (scope.is_staff_member or user.is_staff or user.is_superuser):
        return False
    from allauth.mfa.models import Authenticator

    from .models import Programme

    programmes_require = (
        Programme.objects.filter(pk__in=scope.programmes, require_staff_mfa=True).exists()
        or user.is_staff
        or user.is_superuser
    )
    if not programmes_require:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.NEEM_ENFORCE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and staff_must_set_up_mfa(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
