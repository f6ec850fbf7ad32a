from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    scope = access.scope_of(user)
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "nav": {
            "cases": bool(scope.case_reader_regions or scope.case_reader_programmes),
            "new_participant": access.can_create_participants(user) if user and user.is_authenticated else False,
            "committee": bool(scope.committee_programmes),
            "today": bool(scope.adviser_regions or scope.lead_regions),
            "teams": bool(scope.lead_regions or scope.manager_programmes),
            "staff": bool(scope.admin_programmes),
            "portfolio": bool(scope.manager_programmes or scope.lead_regions),
            "savings": bool(scope.case_reader_regions or scope.manager_programmes),
            "my_page": bool(user and user.is_authenticated and hasattr(user, "participant")),
            "sessions": bool(scope.case_reader_regions or scope.case_reader_programmes),
            "curriculum": bool(scope.manager_programmes or scope.admin_programmes),
            "mentor": bool(scope.mentor_programmes),
            "outcomes": bool(access.outcomes_programmes(user)),
            "banking": bool(scope.manager_programmes),
            "access_log": bool(scope.manager_programmes),
            "admin": bool(user and user.is_authenticated and user.is_staff),
            "site_editor": bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")),
        },
        "text_direction": "rtl" if get_language_bidi() or language.split("-")[0] in settings.RTL_LANGUAGES else "ltr",
    }
