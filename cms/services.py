"""Writes of the public site: a visitor's sign-up (for a workshop or out of interest) and its confirmation."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from coaching import services as coaching_services
from coaching.errors import Refused
from coaching.models import CaseFile, Participant
from neem.models import Region
from privacy.services import consent_from_sign_up

from .models import WorkshopPage, WorkshopRegistration

logger = logging.getLogger(__name__)


class WorkshopFull(Refused):
    """The last seat went; the person may join the waiting list instead."""


@dataclass(frozen=True)
class SignUpResult:
    participant: Participant
    case: CaseFile
    created: bool
    registration: WorkshopRegistration | None
    already_registered: bool = False

    @property
    def waiting_list(self) -> bool:
        return bool(self.registration and self.registration.waiting_list)


def sign_up(
    *, page, data: dict, region: Region, source: str, language: str, waiting_list: bool = False
) -> SignUpResult:
    """Sign a visitor up from `page` (a workshop or the 'I am interested' page), all or nothing.

    The workshop's rows (every language version) are locked first, so two people sending the form for
    the last seat at the same moment queue here: one gets the seat, the other the waiting list or a
    clear refusal. The confirmation e-mail goes out only after the commit.
    """
    workshop = page if isinstance(page, WorkshopPage) else None
    with transaction.atomic():
        if workshop is not None:
            # Locks every language version of the workshop: seats are counted across them.
            list(
                WorkshopPage.objects.select_for_update(of=("self",))
                .filter(translation_key=workshop.translation_key)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if workshop.is_past:
                raise Refused(_("This workshop has already taken place."))
            via = _("the information workshop “%(title)s” on %(date)s") % {
                "title": workshop.title,
                "date": workshop.date.isoformat(),
            }
        else:
            via = _("the page “%(title)s”") % {"title": page.title}
        participant, case, created = coaching_services.participant_sign_up(
            data=data, region=region, source=source, language=language, via=via
        )
        if data.get("consent_wording"):
            consent_from_sign_up(
                participant=participant,
                programme=region.programme,
                language=data.get("consent_language") or language,
                version=data.get("consent_text_version") or "",
                wording=data["consent_wording"],
            )
        registration, already = None, False
        if workshop is not None:
            registration = WorkshopRegistration.objects.filter(
                workshop_key=workshop.translation_key, participant=participant
            ).first()
            already = registration is not None
            if registration is None:
                taken = WorkshopRegistration.objects.filter(
                    workshop_key=workshop.translation_key, waiting_list=False
                ).count()
                full = taken >= workshop.capacity
                if full and not workshop.waiting_list:
                    raise Refused(_("This workshop is full. Choose another date, or tell us you are interested."))
                if full and not waiting_list:
                    raise WorkshopFull(
                        _("The last seat has just been taken. You can join the waiting list: send the form again.")
                    )
                registration = WorkshopRegistration.objects.create(
                    workshop=workshop, participant=participant, waiting_list=full, language=language
                )
        result = SignUpResult(participant, case, created, registration, already)
        participant_id, registration_id = participant.pk, registration.pk if registration else None
        transaction.on_commit(
            lambda: send_confirmation(
                participant_id=participant_id, page_id=page.pk, registration_id=registration_id, language=language
            )
        )
    return result


def send_confirmation(*, participant_id: int, page_id: int, registration_id: int | None, language: str) -> None:
    """The visitor's confirmation, in the language she chose. A mail failure must not undo her sign-up."""
    from wagtail.models import Page

    participant = Participant.objects.get(pk=participant_id)
    if not participant.email:
        return
    page = Page.objects.get(pk=page_id).specific
    registration = WorkshopRegistration.objects.filter(pk=registration_id).first() if registration_id else None
    with translation.override(language):
        workshop = page if isinstance(page, WorkshopPage) else None
        if workshop is not None:
            workshop = workshop.get_translation_or_none(_locale(language)) or workshop
        if registration and registration.waiting_list:
            subject = _("You are on the waiting list for the information workshop")
        elif workshop is not None:
            subject = _("You are signed up for the information workshop")
        else:
            subject = _("Thank you for your interest in Neem")
        context = {
            "participant": participant,
            "workshop": workshop,
            "registration": registration,
            "date": date_format(workshop.date, "DATE_FORMAT") if workshop else "",
            "start": time_format(workshop.start_time, "H:i") if workshop else "",
            "end": time_format(workshop.end_time, "H:i") if workshop else "",
            "workshop_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + workshop.get_url() if workshop else "",
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        body = render_to_string("cms/email/sign_up_confirmation.txt", context)
    try:
        send_mail(subject, body, None, [participant.email])
    except Exception:  # the sign-up stands; staff see her in the queue either way
        logger.exception("Could not send the sign-up confirmation to participant %s", participant_id)


def _locale(language: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()
