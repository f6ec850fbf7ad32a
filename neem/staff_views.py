from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coaching.errors import DomainError, NotAllowed

from . import access, staff
from .models import AuditEvent, Membership, Programme, Region, Role


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=gettext_lazy("Programme"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=gettext_lazy("Region"),
        required=False,
        help_text=gettext_lazy("For advisers and region leads."),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].empty_label = None
        self.fields["region"].queryset = Region.objects.filter(programme__in=programmes)

    def clean(self):
        data = super().clean()
        role, region, programme = data.get("role"), data.get("region"), data.get("programme")
        if role in (Role.ADVISER, Role.REGION_LEAD) and not region:
            self.add_error("region", _("Advisers and region leads belong to a region."))
        if region and programme and region.programme_id != programme.pk:
            self.add_error("region", _("The region belongs to another programme."))
        return data


def _require_admin(user):
    if not access.administered_programmes(user):
        raise PermissionDenied


@login_required
def staff_list(request):
    _require_admin(request.user)
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef, Prefetch

    people = (
        staff.staff_of(request.user)
        .annotate(has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type="totp")))
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("region", "programme")))
        .order_by("-is_active", "first_name", "last_name")
    )
    return render(request, "neem/staff_list.html", {"people": people})


@login_required
def staff_invite(request):
    _require_admin(request.user)
    programmes = Programme.objects.filter(pk__in=access.administered_programmes(request.user))
    form = InviteForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, created = staff.staff_invite(
                request=request,
                by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                programme=data["programme"],
                role=data["role"],
                region=data["region"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if created:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            else:
                messages.success(request, _("The role was added to %(name)s.") % {"name": user})
            return redirect("staff_detail", pk=user.pk)
    return render(request, "neem/staff_invite.html", {"form": form})


@login_required
def staff_detail(request, pk: int):
    _require_admin(request.user)
    person = get_object_or_404(staff.staff_of(request.user), pk=pk)
    from allauth.mfa.models import Authenticator

    return render(
        request,
        "neem/staff_detail.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("programme", "region"),
            "has_mfa": Authenticator.objects.filter(user=person).exists(),
            "log": AuditEvent.objects.filter(subject=person).select_related("actor")[:50],
            "open_cases": person.assigned_cases.exclude(state__in=["closed", "withdrawn"]).count(),
        },
    )


def _staff_action(request, pk: int, action, success: str):
    _require_admin(request.user)
    person = get_object_or_404(staff.staff_of(request.user), pk=pk)
    try:
        action(by=request.user, user=person)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("staff_detail", pk=person.pk)


@login_required
@require_POST
def staff_deactivate(request, pk: int):
    return _staff_action(request, pk, staff.staff_deactivate, _("The account was deactivated and logged out."))


@login_required
@require_POST
def staff_reactivate(request, pk: int):
    return _staff_action(request, pk, staff.staff_reactivate, _("The account was reactivated."))


@login_required
@require_POST
def staff_reset_mfa(request, pk: int):
    return _staff_action(
        request, pk, staff.staff_reset_mfa, _("Two-factor authentication was reset. It must be set up again.")
    )


@login_required
@require_POST
def role_remove(request, pk: int, membership_pk: int):
    _require_admin(request.user)
    person = get_object_or_404(staff.staff_of(request.user), pk=pk)
    membership = get_object_or_404(person.memberships, pk=membership_pk)
    try:
        staff.role_remove(by=request.user, membership_id=membership.pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role was removed."))
    return redirect("staff_detail", pk=person.pk)
