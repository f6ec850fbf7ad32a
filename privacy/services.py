"""Writes of the privacy app: consents, the access log, the data export, erasure and retention."""

from __future__ import annotations

import json
import secrets
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from coaching.models import CaseFile, Participant, Stage
from neem import access

from . import registry
from .erasure import ErasureContext
from .models import (
    DEFAULT_RETENTION_YEARS,
    AccessLog,
    ConsentRecord,
    ConsentText,
    Erasure,
    Purpose,
    RetentionRule,
)

# --- Consent -----------------------------------------------------------------------------------------


def consent_record(*, participant: Participant, text: ConsentText, by, at=None) -> ConsentRecord:
    """She agreed to `text` (recorded by her adviser, or by herself when `by` is her login). A consent to the
    same purpose in force is withdrawn first (a new text version replaces the old)."""
    case = participant.cases.filter(programme=text.programme).first()
    is_herself = by is not None and participant.user_id == getattr(by, "pk", None)
    if not is_herself and (case is None or not access.can_work_on_case(by, case)):
        raise NotAllowed(_("Only her adviser or the region lead records her consent."))
    now = at or timezone.now()
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        record = _put_in_force(participant, text, by=by, at=now)
        if text.purpose == Purpose.PROGRAMME:
            # The participant's own fields stay the summary the rest of Neem reads.
            participant.consent_given_at = now
            participant.consent_text_version = text.version
            participant.save(update_fields=["consent_given_at", "consent_text_version", "updated_at"])
    return record


def consent_from_sign_up(
    *, participant: Participant, programme, language: str, version: str, wording: str, at=None
) -> ConsentRecord:
    """She ticked the consent box of the public sign-up form: in force from now, in the words she read (`wording`,
    in `language`, under the privacy notice `version`). The text is recorded once per programme, language and
    version; signing up again under the same text keeps the record in force, a new version replaces it. No staff
    user acts (`recorded_by` stays empty); call it inside the sign-up's transaction."""
    text, _created = ConsentText.objects.get_or_create(
        programme=programme,
        purpose=Purpose.SIGN_UP,
        language=language,
        version=version[:20],
        defaults={"text": wording},
    )
    return _put_in_force(participant, text, by=None, at=at or timezone.now())


def _put_in_force(participant: Participant, text: ConsentText, *, by, at) -> ConsentRecord:
    """Her consent to `text` in force from `at`: the record in force for its purpose if it is of this text, else a
    new one, the other withdrawn first (one in force per purpose). Inside the caller's transaction."""
    current = ConsentRecord.objects.filter(participant=participant, purpose=text.purpose, withdrawn_at=None).first()
    if current is not None and current.text_id == text.pk:
        return current
    if current is not None:
        current.withdrawn_at, current.withdrawn_by = at, by
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return ConsentRecord.objects.create(
        participant=participant, purpose=text.purpose, text=text, given_at=at, recorded_by=by
    )


def consent_withdraw(*, record: ConsentRecord, by, at=None) -> ConsentRecord:
    participant = record.participant
    is_herself = participant.user_id == getattr(by, "pk", None)
    case = participant.cases.filter(programme=record.text.programme_id).first()
    if not is_herself and (case is None or not access.can_work_on_case(by, case)):
        raise NotAllowed(_("Only her adviser, the region lead or she herself withdraws her consent."))
    with transaction.atomic():
        record = ConsentRecord.objects.select_for_update().get(pk=record.pk)
        if record.withdrawn_at is None:
            record.withdrawn_at, record.withdrawn_by = at or timezone.now(), by
            record.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return record


# --- Access log --------------------------------------------------------------------------------------


def log_access(*, user, case: CaseFile, action: str, detail: str = "") -> AccessLog | None:
    """Staff opening her data is logged; her own look at her own data is not."""
    if user is None or not user.is_authenticated or case.participant.user_id == user.pk:
        return None
    return AccessLog.objects.create(
        user=user,
        participant_id=case.participant_id,
        case=case,
        programme_id=case.programme_id,
        action=action,
        detail=detail[:200],
    )


def on_personal_data_accessed(sender, *, user, case, action, detail="", **kwargs) -> None:
    log_access(user=user, case=case, action=action, detail=detail)


# --- Export ------------------------------------------------------------------------------------------


def export_data(participant: Participant, *, by=None) -> list[dict]:
    """Everything held about her, app by app: [{"name", "title", "data"}], the parts that hold anything.

    For her own request (`by` is she, or None) every case; for staff, the cases they may export (a region lead of
    one programme does not hand out another programme's file)."""
    cases = list(participant.cases.select_related("programme", "region", "adviser").order_by("opened_at"))
    if by is not None and participant.user_id != by.pk:
        cases = [case for case in cases if access.can_export_personal_data(by, case)]
    parts = []
    for exporter in registry.exporters():
        data = exporter.function(participant, cases)
        if data:
            parts.append({"name": exporter.name, "title": str(exporter.title), "data": data})
    return parts


def _check_export(by, case: CaseFile) -> None:
    if not access.can_export_personal_data(by, case):
        raise NotAllowed(_("Only the region lead or the programme manager exports a participant's data."))


def export_json(*, case: CaseFile, by) -> bytes:
    participant = case.participant
    if participant.user_id != by.pk:
        _check_export(by, case)
        log_access(user=by, case=case, action=AccessLog.Action.EXPORT_JSON)
    document = {
        "exported_at": timezone.now(),
        "participant_id": participant.pk,
        "parts": {part["name"]: part["data"] for part in export_data(participant, by=by)},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_pdf(*, case: CaseFile, by, language: str | None = None) -> bytes:
    from neem.pdf import render_pdf

    participant = case.participant
    if participant.user_id != by.pk:
        _check_export(by, case)
        log_access(user=by, case=case, action=AccessLog.Action.EXPORT_PDF)
    parts = json.loads(json.dumps(export_data(participant, by=by), cls=DjangoJSONEncoder, ensure_ascii=False))
    return render_pdf(
        "privacy/export_pdf.html",
        {"participant": participant, "parts": parts, "now": timezone.now()},
        language=language or participant.preferred_language,
    )


# --- Erasure -----------------------------------------------------------------------------------------


def erasure_blockers(participant: Participant) -> list[str]:
    """Why her data cannot be erased now (e.g. a loan still running): each app says so through the registry."""
    problems = []
    for check in registry.blockers().values():
        problems += list(check(participant) or [])
    return problems


def participant_erase(
    *, participant: Participant, by, reason: str, confirm: str = "", trigger: str = Erasure.Trigger.REQUEST
) -> Erasure:
    """Anonymise everything held about her; loans and ledgers stay under a pseudonym.

    `by` must manage the programme of every case she has; `confirm` must be her full name as shown (for the
    retention run, `by` is None and the daily job is the authority). Each app erases its own part through the
    registry, all in one transaction: a failing part leaves nothing half-erased.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the erasure (her request, the retention period...)."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related("user").get(pk=participant.pk)
        if hasattr(participant, "erasure"):
            raise Refused(_("Her personal data has already been erased."))
        if by is not None:
            cases = list(participant.cases.all())
            if not cases or not all(access.can_erase_personal_data(by, c) for c in cases):
                raise NotAllowed(_("Only the programme manager of every one of her cases erases her data."))
            if confirm.strip().casefold() != participant.full_name.strip().casefold():
                raise Refused(_("Type her full name exactly as shown to confirm the erasure."))
        problems = erasure_blockers(participant)
        if problems:
            raise Refused(" ".join(str(p) for p in problems))
        pseudonym = f"P-{secrets.token_hex(4).upper()}"
        while Erasure.objects.filter(pseudonym=pseudonym).exists():  # pragma: no cover - 4 bytes rarely collide
            pseudonym = f"P-{secrets.token_hex(4).upper()}"
        context = ErasureContext.for_participant(participant, pseudonym=pseudonym)
        for name, eraser in registry.erasers().items():
            context.count(name, eraser(context) or 0)
        return Erasure.objects.create(
            participant=participant,
            pseudonym=pseudonym,
            trigger=trigger,
            reason=reason,
            by=by,
            summary=context.summary,
        )


# --- Retention ---------------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_due(as_of: date) -> list[Participant]:
    """Participants all of whose cases closed (or were withdrawn) longer ago than their programme keeps data."""
    rules = {r.programme_id: r for r in RetentionRule.objects.all()}
    due: dict[int, Participant] = {}
    blocked: set[int] = set()
    cases = CaseFile.objects.filter(participant__erasure__isnull=True).select_related("participant", "programme")
    for case in cases.order_by("participant_id"):
        rule = rules.get(case.programme_id)
        if rule is not None and not rule.active:
            blocked.add(case.participant_id)
            continue
        years = rule.years_after_closing if rule else DEFAULT_RETENTION_YEARS
        finished = case.state in (Stage.CLOSED, Stage.WITHDRAWN) and case.closed_at is not None
        if finished and timezone.localdate(case.closed_at) <= _years_before(as_of, years):
            due.setdefault(case.participant_id, case.participant)
        else:
            blocked.add(case.participant_id)
    return [p for pk, p in due.items() if pk not in blocked and p.merged_into_id is None]


def retention_run(as_of: date) -> dict[str, int]:
    """Anonymise every participant whose retention period is over. Safe to run daily: an erased one is skipped."""
    erased = skipped = 0
    for participant in retention_due(as_of):
        if erasure_blockers(participant):
            skipped += 1
            continue
        participant_erase(
            participant=participant,
            by=None,
            reason=_("Retention period over (run of %(day)s).") % {"day": as_of.isoformat()},
            trigger=Erasure.Trigger.RETENTION,
        )
        erased += 1
    return {"anonymised": erased, "kept (blocked)": skipped}
