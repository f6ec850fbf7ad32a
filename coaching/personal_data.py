"""What coaching holds about a participant, for her data export and her erasure (see privacy.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.erasure import ERASED, rows, scrub_model, set_model
from privacy.registry import register_eraser, register_exporter

from .curriculum_models import ItemCheck, ModuleProgress
from .forms import PARTICIPANT_FIELDS
from .mentoring_models import MentorMeeting
from .models import CaseEvent, CaseFile, NextAction, Note, Participant
from .session_models import Attendance, Session

# What her own record holds: what the registration form asks, and when and to which text she consented.
PERSON_FIELDS = [*PARTICIPANT_FIELDS, "consent_given_at", "consent_text_version", "created_at"]


def export_person(participant, cases):
    return {field: getattr(participant, field) for field in PERSON_FIELDS}


def export_cases(participant, cases):
    result = []
    for case in cases:
        result.append(
            {
                "programme": str(case.programme),
                "region": str(case.region),
                "adviser": str(case.adviser or ""),
                "stage": case.get_state_display(),
                "opened_at": case.opened_at,
                "closed_at": case.closed_at,
                "outcome": case.get_outcome_display(),
                "withdrawal_reason": case.get_withdrawal_reason_display(),
                "timeline": [
                    {"at": e.at, "what": e.get_kind_display(), "from": e.from_state, "to": e.to_state, "note": e.note}
                    for e in CaseEvent.objects.filter(case=case).order_by("at", "id")
                ],
                # What she may see: confidential notes are the adviser's working notes, never shown to her.
                "notes": rows(
                    Note.objects.filter(case=case, confidential=False).order_by("created_at"), "created_at", "text"
                ),
                "next_actions": rows(NextAction.objects.filter(case=case), "title", "due_date", "done_at"),
                "modules": [
                    {
                        "module": str(p.module),
                        "status": p.get_status_display(),
                        "approved_at": p.approved_at,
                        "note": p.note,
                    }
                    for p in ModuleProgress.objects.filter(case=case).select_related("module")
                ],
                "attendance": [
                    {"session": a.session.topic, "at": a.session.starts_at, "status": a.get_status_display()}
                    for a in Attendance.objects.filter(case=case).select_related("session")
                ],
                "mentor_meetings": rows(MentorMeeting.objects.filter(match__case=case), "date", "topic", "note"),
            }
        )
    return result


def _anonymous_person(pseudonym: str) -> dict:
    return {
        "first_name": ERASED,
        "last_name": pseudonym,
        "email": "",
        "phone": "",
        "date_of_birth": None,
        "country_of_birth": "",
        "foreign_background": False,
        "residence_permit": "unknown",
        "languages": "",
        "needs_interpreter": False,
        "months_unemployed": None,
    }


def erase(context) -> int:
    """The person and her duplicates merged into her; the timeline, notes, actions, modules, sessions, mentoring.

    Kept for the programme's statistics: gender, education, employment status, household and income at intake,
    how she was referred, the stages and outcome of her cases. Everything else that identifies her goes.
    """
    ids = [
        context.participant.pk,
        *Participant.objects.filter(merged_into=context.participant).values_list("pk", flat=True),
    ]
    anonymous = _anonymous_person(context.pseudonym)
    changed = Participant._base_manager.filter(pk__in=ids).update(
        **anonymous, email_normalized="", phone_normalized="", name_key=""
    )
    changed += Participant.history.model._base_manager.filter(id__in=ids).update(**anonymous, history_change_reason="")
    changed += scrub_model(context, CaseFile, lookup="id__in")
    changed += set_model(context, CaseEvent, note="")
    changed += scrub_model(context, CaseEvent, fields=["data"])
    changed += set_model(context, Note, text=ERASED)
    changed += scrub_model(context, NextAction)
    changed += scrub_model(context, ModuleProgress)
    changed += scrub_model(context, ItemCheck, lookup="progress__case_id__in")
    changed += set_model(context, MentorMeeting, lookup="match__case_id__in", note="")
    changed += scrub_model(context, MentorMeeting, lookup="match__case_id__in")
    changed += scrub_model(context, Session)
    return changed


register_exporter("person", export_person, title=_("Her details"), order=10)
register_exporter("cases", export_cases, title=_("Her case files"), order=30)
register_eraser("coaching", erase)
