from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext, gettext_lazy
from django.views.generic import RedirectView

from . import access
from .languages import language_choices


@login_required
def home(request):
    """Each role lands somewhere useful after login."""
    user = request.user
    scope = access.scope_of(user)
    if scope.case_reader_regions or scope.case_reader_programmes:
        return redirect("coaching:caseload")
    if scope.committee_programmes:
        return redirect("loans:committee_queue")
    if scope.mentor_programmes:
        return redirect("coaching:mentor_home")
    if scope.evaluator_programmes:
        return redirect("outcomes:dashboard")
    if hasattr(user, "participant"):
        return redirect("coaching:my_page")
    return render(request, "neem/no_role.html")


_to_allauth_login = RedirectView.as_view(pattern_name="account_login", query_string=True)


def admin_login_door(request):
    """The Django and Wagtail admin login pages: every login goes through allauth (MFA, rate limits).

    A logged-in user is only sent here by an admin she has no right to; sending her on to allauth's
    login, which sends logged-in users back to `next`, would loop, so she gets 403 instead.
    """
    if request.user.is_authenticated:
        if "next" not in request.GET:
            return redirect("home")
        raise PermissionDenied
    return _to_allauth_login(request)


def set_language(request):
    """Django's language switch; a logged-in person's choice is also kept on her profile."""
    from django.views.i18n import set_language as django_set_language

    from .profile import user_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=language_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own language, as in the header's switcher.
        self.fields["language"].choices = [
            (code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES
        ]


@login_required
def account_language(request):
    """Her own profile's language: pages, e-mails, reminders and PDFs are in it."""
    from coaching.errors import DomainError

    from .profile import user_set_language

    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        try:
            user_set_language(user=request.user, language=form.cleaned_data["language"])
        except DomainError as error:
            form.add_error("language", error.message)
        else:
            translation.activate(request.user.language)
            messages.success(request, gettext("The details were saved."))
            response = redirect("account_language")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax", secure=request.is_secure()
            )
            return response
    return render(request, "neem/account_language.html", {"form": form})
