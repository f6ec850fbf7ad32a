"""The administrator's pages: API tokens (list, create, revoke) and the log of API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.errors import DomainError, NotAllowed
from neem import access
from neem.models import Programme

from . import selectors, services
from .forms import TokenForm


def _require_admin(user) -> None:
    if not access.administered_programmes(user):
        raise PermissionDenied


@login_required
def token_list(request):
    _require_admin(request.user)
    return render(
        request,
        "api/token_list.html",
        {"tokens": selectors.tokens_visible_to(request.user), "now": timezone.now()},
    )


@login_required
def token_create(request):
    _require_admin(request.user)
    programmes = Programme.objects.filter(pk__in=access.administered_programmes(request.user))
    form = TokenForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.token_create(
                by=request.user,
                programme=data["programme"],
                user=data["user"],
                name=data["name"],
                scopes=data["scopes"],
                days=data["days"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            # The secret is rendered once, in this response, and never stored: no redirect.
            response = render(request, "api/token_created.html", {"token": new.token, "secret": new.secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk: int):
    _require_admin(request.user)
    token = get_object_or_404(selectors.tokens_visible_to(request.user), pk=pk)
    try:
        services.token_revoke(by=request.user, token_id=token.pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("The token “%(name)s” is revoked: calls with it now get 401.") % {"name": token.name})
    return redirect("api:token_list")


@login_required
def call_list(request):
    _require_admin(request.user)
    page = Paginator(selectors.calls_visible_to(request.user), 100).get_page(request.GET.get("page"))
    return render(request, "api/call_list.html", {"page": page})
