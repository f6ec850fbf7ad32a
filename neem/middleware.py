"""Staff must have set up two-factor authentication when the installation and their programme ask for it."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import get_language, get_language_from_path, gettext

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


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 stays a 404.

    Django redirects a 404 to the same path with a language prefix when that path would resolve.
    Under `i18n_patterns`, Wagtail's catch-all resolves every path, so every 404 of a staff page
    (a stranger opening a case) would become a redirect. Only the bare root is sent to a language.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info != "/":
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)


class UserLanguageMiddleware:
    """A logged-in person's pages are in the language on her profile (after AuthenticationMiddleware).

    The public site's pages carry their language in the URL (/ar/...) and keep it. Choosing another
    language in the header stores it on her profile (neem.views.set_language), so her e-mails,
    reminders and PDFs follow the same choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not get_language_from_path(request.path_info):
            language = getattr(user, "language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class RefuseNullCharactersMiddleware:
    """A NUL character in the path or the query string gets 400, before any view.

    No address or search of Neem's has one, and PostgreSQL refuses it in any text it is given (a
    server error deep in a search, a Wagtail page lookup or a filter). Posted forms are left to their
    fields: Django's CharField already answers "Null characters are not allowed." next to the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(gettext("This address contains a character that is not allowed."))
        return self.get_response(request)
