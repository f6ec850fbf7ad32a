"""Staff accounts, run by a programme's administrator: invite, roles, deactivate, reset MFA."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused

from . import access
from .models import AuditEvent, Membership, Programme, Region, Role

User = get_user_model()


def staff_of(admin):
    """Users holding a role in a programme the admin administers."""
    programmes = access.administered_programmes(admin)
    return User.objects.filter(memberships__programme__in=programmes).distinct()


def _check_admin(admin, programme: Programme) -> None:
    if programme.pk not in access.administered_programmes(admin):
        raise NotAllowed(_("Only the programme's administrator can manage its staff."))


def _check_subject(admin, user) -> None:
    if not staff_of(admin).filter(pk=user.pk).exists():
        raise NotAllowed(_("This person is not staff of your programme."))
    if user.pk == admin.pk:
        raise Refused(_("You cannot do this to your own account."))


def _password_link(request, user) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return request.build_absolute_uri(path)


def staff_invite(
    *, request, by, email: str, first_name: str, last_name: str, programme: Programme, role: str, region: Region | None
):
    """Create the account (or add the role to an existing one) and e-mail a link to set a password."""
    from allauth.account.models import EmailAddress

    _check_admin(by, programme)
    email = email.strip().lower()
    if role in (Role.ADVISER, Role.REGION_LEAD) and region is None:
        raise Refused(_("Advisers and region leads belong to a region."))
    if region is not None and region.programme_id != programme.pk:
        raise Refused(_("The region belongs to another programme."))
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        elif hasattr(user, "participant") and user.participant is not None:
            raise Refused(_("This e-mail address belongs to a participant."))
        membership, added = Membership.objects.get_or_create(
            user=user,
            programme=programme,
            region=region if role in (Role.ADVISER, Role.REGION_LEAD) else None,
            role=role,
        )
        AuditEvent.objects.create(
            actor=by,
            action=AuditEvent.Action.INVITED if created else AuditEvent.Action.ROLE_ADDED,
            subject=user,
            programme=programme,
            data={"role": role, "region": region.pk if region else None},
        )
        if created:
            link = _password_link(request, user)
            transaction.on_commit(
                lambda: send_mail(
                    _("You are invited to Neem"),
                    _(
                        "Hello %(name)s,\n\n%(admin)s has given you the role %(role)s in %(programme)s.\n"
                        "Choose your password here to log in:\n%(link)s\n"
                    )
                    % {
                        "name": first_name or email,
                        "admin": by,
                        "role": membership.get_role_display(),
                        "programme": programme,
                        "link": link,
                    },
                    None,
                    [email],
                )
            )
    return user, created


def role_remove(*, by, membership_id: int) -> None:
    membership = Membership.objects.select_related("programme", "user").get(pk=membership_id)
    _check_admin(by, membership.programme)
    _check_subject(by, membership.user)
    with transaction.atomic():
        AuditEvent.objects.create(
            actor=by,
            action=AuditEvent.Action.ROLE_REMOVED,
            subject=membership.user,
            programme=membership.programme,
            data={"role": membership.role, "region": membership.region_id},
        )
        membership.delete()


def end_sessions(user) -> int:
    """Log the user out everywhere at once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def staff_deactivate(*, by, user) -> None:
    """The account can no longer log in; its sessions end now; its cases show as unassigned."""
    _check_subject(by, user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        AuditEvent.objects.create(actor=by, action=AuditEvent.Action.DEACTIVATED, subject=user)
    end_sessions(user)


def staff_reactivate(*, by, user) -> None:
    _check_subject(by, user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        AuditEvent.objects.create(actor=by, action=AuditEvent.Action.REACTIVATED, subject=user)


def staff_reset_mfa(*, by, user) -> int:
    """Remove a lost device: the person sets up MFA again at next login (where MFA is required)."""
    from allauth.mfa.models import Authenticator

    _check_subject(by, user)
    with transaction.atomic():
        removed, _detail = Authenticator.objects.filter(user=user).delete()
        AuditEvent.objects.create(
            actor=by, action=AuditEvent.Action.MFA_RESET, subject=user, data={"authenticators_removed": removed}
        )
    end_sessions(user)
    return removed
