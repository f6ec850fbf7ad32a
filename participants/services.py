"""Writes of the participant's pages: invitation, documents, messages, preferences, check-in answers.

Each is atomic, checks who acts, writes the case timeline, and sends e-mail only after commit.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile, Participant
from coaching.tabs import case_url
from neem import access

from .models import CheckIn, Document, Message, ReminderPreference

User = get_user_model()

# Detected MIME type -> the extensions a file of that type may carry. The content decides, not the name.
ALLOWED_TYPES = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/heic": ("heic",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
}
ALLOWED_EXTENSIONS = sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})


def base_url() -> str:
    return settings.NEEM_BASE_URL.rstrip("/")


def send_localized_mail(*, to: str, language: str, template: str, context: dict) -> None:
    """Subject and body from templates/participants/email/<template>_{subject,body}.txt in `language`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"participants/email/{template}_subject.txt", context).split())
        body = render_to_string(f"participants/email/{template}_body.txt", context)
    send_mail(subject, body, None, [to])


def _log(case: CaseFile, *, by, note: str, **data) -> CaseEvent:
    # Existing timeline kinds, with what happened in data["event"]: a new kind would need a coaching migration.
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.UPDATED, actor=by, note=note, data=data)


def is_her_case(user, case: CaseFile) -> bool:
    return user.is_authenticated and case.participant.user_id == user.pk


# --- Invitation ----------------------------------------------------------------------------------


def password_link(user) -> str:
    """allauth's set-a-new-password link, like neem.staff._password_link but without a request."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return base_url() + path


def participant_invite(*, by, case: CaseFile, email: str):
    """Give the participant a login (or resend the link) and e-mail her a link to choose a password."""
    from allauth.account.models import EmailAddress

    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can invite the participant."))
    email = email.strip().lower()
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=case.participant_id)
        )
        user = participant.user
        if user is None:
            if User.objects.filter(email__iexact=email).exists():
                raise Refused(_("This e-mail address already has a login. Use another address."))
            user = User(email=email, first_name=participant.first_name, last_name=participant.last_name)
            user.language = participant.preferred_language
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            participant.user = user
            if not participant.email:
                participant.email = email
            participant.save()
            resent = False
        else:
            resent = True
            if user.email.lower() != email:
                if user.last_login is not None:
                    raise Refused(
                        _("She has already logged in; her login e-mail is %(email)s.") % {"email": user.email}
                    )
                if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                    raise Refused(_("This e-mail address already has a login. Use another address."))
                EmailAddress.objects.filter(user=user).delete()
                user.email = email
                user.save(update_fields=["email"])
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        _log(
            case,
            by=by,
            note=(_("Invitation sent again to %(email)s.") if resent else _("Invited to log in: %(email)s."))
            % {"email": email},
            event="invitation",
            email=email,
            resent=resent,
        )
        context = {"participant": participant, "adviser": by, "link": password_link(user), "programme": case.programme}
        language = participant.preferred_language
        transaction.on_commit(
            lambda: send_localized_mail(to=email, language=language, template="invite", context=context)
        )
    return user, resent


# --- Documents -----------------------------------------------------------------------------------


def can_upload(user, case: CaseFile) -> bool:
    return is_her_case(user, case) or access.can_work_on_case(user, case)


def can_delete(user, document: Document) -> bool:
    case = document.case
    if access.can_work_on_case(user, case):
        return True
    # She may take back what she uploaded herself.
    return is_her_case(user, case) and document.uploaded_by_id == user.pk


def check_upload(upload) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload, or Refused with a message she can act on."""
    limit = settings.NEEM_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise Refused(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
        )
    if upload.size == 0:
        raise Refused(_("The file is empty."))
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise Refused(
            _("This kind of file cannot be uploaded. Use one of: %(kinds)s.") % {"kinds": ", ".join(ALLOWED_EXTENSIONS)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    mime = detected.mime if detected else ""
    if mime not in ALLOWED_TYPES or extension not in ALLOWED_TYPES[mime]:
        raise Refused(
            _(
                "The file's content does not match its name (.%(extension)s). Save it again as PDF, JPG or PNG and retry."
            )
            % {"extension": extension}
        )
    return mime, extension


def _clean_name(name: str) -> str:
    name = PurePath(name.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')[:200] or "document"


def document_upload(*, by, case: CaseFile, upload, kind: str) -> Document:
    if not can_upload(by, case):
        raise NotAllowed(_("You cannot add documents to this case."))
    mime, extension = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document(
            case=case,
            uploaded_by=by,
            kind=kind,
            original_name=_clean_name(upload.name),
            content_type=mime,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        document.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.read()), save=False)
        document.save()
        _log(
            case,
            by=by,
            note=_("Document added: %(name)s.") % {"name": document.original_name},
            event="document_added",
            document=document.pk,
        )
    return document


def document_delete(*, by, document: Document) -> None:
    if not can_delete(by, document):
        raise NotAllowed(_("You cannot delete this document."))
    with transaction.atomic():
        _log(
            document.case,
            by=by,
            note=_("Document deleted: %(name)s.") % {"name": document.original_name},
            event="document_deleted",
        )
        document.delete()  # the file goes in the post_delete signal, after commit


# --- Messages ------------------------------------------------------------------------------------


def _adviser_recipients(case: CaseFile) -> list:
    if case.adviser_id and case.adviser.is_active:
        return [case.adviser]
    from neem.models import Membership, Role

    return [
        m.user
        for m in Membership.objects.filter(region_id=case.region_id, role=Role.REGION_LEAD, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def message_post(*, by, case: CaseFile, text: str) -> Message:
    text = text.strip()
    if not text:
        raise Refused(_("Write a message first."))
    mine = is_her_case(by, case)
    if not mine and not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the participant and her adviser write in this thread."))
    with transaction.atomic():
        message = Message.objects.create(case=case, author=by, from_participant=mine, text=text)
        if mine:
            recipients = [(u.email, u.language) for u in _adviser_recipients(case)]
            link = base_url() + case_url(case.pk, "pages", "#messages")
        else:
            participant = case.participant
            address = participant.user.email if participant.user_id else participant.email
            recipients = [(address, participant.preferred_language)] if address else []
            link = base_url() + reverse("participants:my_messages", args=[case.pk])
        context = {"case": case, "author": by, "from_participant": mine, "link": link}
        for address, language in recipients:
            transaction.on_commit(
                lambda a=address, lang=language: send_localized_mail(
                    to=a, language=lang, template="new_message", context=context
                )
            )
    return message


def thread_mark_read(*, reader, case: CaseFile) -> int:
    """The reader has seen the other side's messages."""
    from_participant = not is_her_case(reader, case)
    return Message.objects.filter(case=case, from_participant=from_participant, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Reminder preferences --------------------------------------------------------------------------


def reminder_preference_set(*, participant: Participant, email: bool, sms: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        participant=participant, defaults={"email": email, "sms": sms}
    )
    return preference


# --- Check-ins after the programme -------------------------------------------------------------


def check_in_answer(*, check_in: CheckIn, company_running: bool, employed: bool, studying: bool, other: str) -> CheckIn:
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update(of=("self",)).select_related("case").get(pk=check_in.pk)
        if check_in.answered_at is not None:
            raise Refused(_("You have already answered. Thank you!"))
        check_in.company_running = company_running
        check_in.employed = employed
        check_in.studying = studying
        check_in.other = other.strip()
        check_in.answered_at = timezone.now()
        check_in.save()
        yes, no = _("yes"), _("no")
        _log(
            check_in.case,
            by=None,
            note=_(
                "Check-in after %(months)s months: company running: %(company)s; job: %(job)s; studies: %(studies)s."
            )
            % {
                "months": check_in.months,
                "company": yes if company_running else no,
                "job": yes if employed else no,
                "studies": yes if studying else no,
            }
            + (f"\n{check_in.other}" if check_in.other else ""),
            event="check_in",
            months=check_in.months,
            company_running=company_running,
            employed=employed,
            studying=studying,
        )
    return check_in
