from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

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
    if hasattr(user, "participant"):
        return redirect("coaching:my_page")
    return render(request, "neem/no_role.html")
