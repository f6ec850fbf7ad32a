from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.generic import RedirectView

from . import access


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
