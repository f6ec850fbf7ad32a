"""Every write to participants and case files goes through here: atomic, checked, logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from neem import access
from neem.models import Programme, Region, Role

from . import gates
from .errors import NotAllowed, Refused
from .models import (
    CaseEvent,
    CaseFile,
    NextAction,
    Note,
    Outcome,
    Participant,
    Stage,
    WithdrawalReason,
)
from .normalize import normalize_email, normalize_phone


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    needs_outcome: bool = False
    needs_reason: bool = False
    danger: bool = False


TRANSITIONS: dict[str, TransitionInfo] = {
    t.name: t
    for t in [
        TransitionInfo("start_intake", gettext_lazy("Start intake")),
        TransitionInfo("admit", gettext_lazy("Admit to coaching")),
        TransitionInfo("start_business_plan", gettext_lazy("Move on to the business plan")),
        TransitionInfo("start_loan", gettext_lazy("Move on to the loan")),
        TransitionInfo("skip_loan", gettext_lazy("No loan needed: go to follow-up")),
        TransitionInfo("start_follow_up", gettext_lazy("Move on to follow-up")),
        TransitionInfo("close", gettext_lazy("Close with an outcome"), needs_outcome=True),
        TransitionInfo("withdraw", gettext_lazy("Withdraw"), needs_reason=True, danger=True),
    ]
}


def _log(case: CaseFile, *, kind: str, by, note: str = "", **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=by, note=note, **fields)


def unmet_conditions(case: CaseFile, name: str) -> list[str]:
    """Messages for the conditions that hold this transition back (empty if none)."""
    method = getattr(case, name)
    meta = method._django_fsm
    fsm_transition = meta.get_transition(case.state)
    if fsm_transition is None:
        return [_("Not possible from the stage %(stage)s.") % {"stage": case.get_state_display()}]
    return [str(getattr(cond, "message", cond.__name__)) for cond in fsm_transition.conditions if not cond(case)]


def transitions_for(case: CaseFile, user) -> list[dict]:
    """The transitions from the case's stage, each with whether this user may take it now and why not."""
    result = []
    for info in TRANSITIONS.values():
        method = getattr(case, info.name)
        if method._django_fsm.get_transition(case.state) is None:
            continue
        allowed_by_role = has_transition_perm_ignoring_conditions(case, info.name, user)
        if not allowed_by_role:
            continue
        problems = unmet_conditions(case, info.name)
        result.append({"info": info, "enabled": not problems, "problems": problems})
    return result


def has_transition_perm_ignoring_conditions(case: CaseFile, name: str, user) -> bool:
    meta = getattr(case, name)._django_fsm
    return meta.has_transition_perm(case, case.state, user)


def case_transition(
    *,
    case_id: int,
    by,
    name: str,
    note: str = "",
    expected_state: str | None = None,
    outcome: str = "",
    reason: str = "",
) -> CaseFile:
    """Move a case one step. Locks the row so two concurrent requests cannot both win."""
    info = TRANSITIONS.get(name)
    if info is None:
        raise Refused(_("There is no such step."))
    note = (note or "").strip()
    with transaction.atomic():
        case = (
            CaseFile.objects.select_for_update(of=("self",)).select_related("participant", "programme").get(pk=case_id)
        )
        if not access.can_view_case(by, case):
            raise NotAllowed(_("You do not have access to this case."))
        if not access.can_work_on_case(by, case):
            raise NotAllowed(_("Only the assigned adviser or the region lead can change this case."))
        if expected_state and case.state != expected_state:
            raise Refused(
                _("The case has moved on meanwhile: it is now in the stage %(stage)s. Nothing was changed.")
                % {"stage": case.get_state_display()}
            )
        method = getattr(case, name)
        if method._django_fsm.get_transition(case.state) is None:
            raise Refused(
                _("“%(step)s” is not possible from the stage %(stage)s.")
                % {"step": info.label, "stage": case.get_state_display()}
            )
        if not has_transition_perm_ignoring_conditions(case, name, by):
            raise NotAllowed(_("You may not take this step."))
        problems = unmet_conditions(case, name)
        if problems:
            raise Refused(" ".join(problems))
        # Both checks again, the library's way, so a new condition or permission cannot be missed.
        if not (can_proceed(method) and has_transition_perm(method, by)):
            raise Refused(_("This step is not possible now."))
        kwargs = {}
        if info.needs_outcome:
            if outcome not in Outcome.values:
                raise Refused(_("Choose the outcome."))
            kwargs["outcome"] = outcome
        if info.needs_reason:
            if reason not in WithdrawalReason.values:
                raise Refused(_("Choose the reason for the withdrawal."))
            kwargs["reason"] = reason
        from_state = case.state
        method(**kwargs)
        case.stage_entered_at = timezone.now()
        try:
            case.save()
        except ConcurrentTransition as exc:
            raise Refused(_("Someone else changed this case at the same moment. Nothing was changed.")) from exc
        data = {}
        if outcome:
            data["outcome"] = outcome
        if reason:
            data["reason"] = reason
        _log(
            case,
            kind=CaseEvent.Kind.TRANSITION,
            by=by,
            note=note,
            from_state=from_state,
            to_state=case.state,
            transition=name,
            data=data,
        )
    return case


def case_check_eligibility(*, case: CaseFile, by) -> list[str]:
    """Record, at intake, whether the person meets the programme's rules and why not."""
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can change this case."))
    if case.state != Stage.INTAKE:
        raise Refused(_("Eligibility is checked during intake."))
    problems = gates.eligibility_problems(case.participant, case.programme)
    with transaction.atomic():
        CaseFile.objects.filter(pk=case.pk).update(eligibility_checked_at=timezone.now(), eligibility_problems=problems)
        _log(
            case,
            kind=CaseEvent.Kind.ELIGIBILITY,
            by=by,
            note="; ".join(problems) if problems else _("Eligible."),
            data={"eligible": not problems, "problems": problems},
        )
    case.eligibility_problems = problems
    return problems


def participant_create(*, by, data: dict, region: Region, adviser=None) -> tuple[Participant, CaseFile]:
    """Register a person and open her case in `mobilised` in the given region."""
    if not access.regions_for_new_cases(by).filter(pk=region.pk).exists():
        raise NotAllowed(_("You cannot open cases in this region."))
    scope = access.scope_of(by)
    if adviser is None and region.pk in scope.adviser_regions:
        adviser = by
    with transaction.atomic():
        participant = Participant(**data)
        participant.save()
        case = CaseFile.objects.create(
            participant=participant, programme=region.programme, region=region, adviser=adviser
        )
        _log(case, kind=CaseEvent.Kind.OPENED, by=by, to_state=case.state)
        if adviser:
            _log(case, kind=CaseEvent.Kind.ASSIGNED, by=by, data={"adviser": adviser.pk, "name": str(adviser)})
    return participant, case


def participant_sign_up(
    *, data: dict, region: Region, source: str, language: str, via: str = ""
) -> tuple[Participant, CaseFile, bool]:
    """A person signs herself up on the public site: find her or register her, and put her in the region's queue.

    She is found by the same normalised e-mail address, or the same phone number when the addresses do not
    differ (family members often share a phone). Her case in the region's programme is opened in
    `mobilised` with no adviser, or reused if she has one. No staff user acts: the timeline says it came
    from the web (`via` names the workshop or page). An anonymous form never overwrites what staff have
    recorded; it only fills in blanks and renews the consent. Returns (participant, case, created).
    """
    email = normalize_email(data.get("email"))
    phone = normalize_phone(data.get("phone"))
    first_name = (data.get("first_name") or "").strip()
    last_name = (data.get("last_name") or "").strip()
    if not (first_name and last_name and (email or phone)):
        raise Refused(_("A name and an e-mail address or a phone number are needed."))
    programme = region.programme
    now = timezone.now()
    with transaction.atomic():
        # Sign-ups to one programme queue here, so the same person sending the form twice at once is found, not doubled.
        Programme.objects.select_for_update().filter(pk=programme.pk).values_list("pk", flat=True).get()
        participant = _find_person(email=email, phone=phone)
        created = participant is None
        if created:
            participant = Participant(
                first_name=first_name,
                last_name=last_name,
                email=data.get("email", "").strip(),
                phone=data.get("phone", "").strip(),
                preferred_language=language,
                referral_source=source,
            )
        else:
            if not participant.email and email:
                participant.email = data["email"].strip()
            if not participant.phone_normalized and phone:
                participant.phone = data["phone"].strip()
        participant.consent_given_at = now
        participant.consent_text_version = data.get("consent_text_version", "")
        participant.save()
        case = CaseFile.objects.filter(participant=participant, programme=programme).first()
        with override(programme.default_language):
            if via:
                note = _("Signed up on the public site: %(via)s.") % {"via": via}
            else:
                note = _("Signed up on the public site.")
            log = {"source": "web", "via": via, "region": region.pk}
            if case is None:
                case = CaseFile.objects.create(participant=participant, programme=programme, region=region)
                _log(case, kind=CaseEvent.Kind.OPENED, by=None, to_state=case.state, note=note, data=log)
            else:
                if case.region_id != region.pk:
                    note = "%s %s" % (note, _("She chose the region %(region)s.") % {"region": region.name})  # noqa: UP031
                _log(case, kind=CaseEvent.Kind.NOTE, by=None, note=note, data={**log, "again": True})
    return participant, case, created


def _find_person(*, email: str, phone: str) -> Participant | None:
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email_normalized=email)
    if phone:
        condition |= Q(phone_normalized=phone)
    candidates = list(Participant.objects.filter(condition).order_by("pk")[:20])
    by_email = [p for p in candidates if email and p.email_normalized == email]
    if by_email:
        return by_email[0]
    by_phone = [p for p in candidates if not email or not p.email_normalized]
    return by_phone[0] if by_phone else None


def can_edit_participant(user, participant: Participant) -> bool:
    return any(
        access.can_work_on_case(user, case) or access.can_assign_case(user, case) for case in participant.cases.all()
    )


def participant_update(*, by, participant: Participant, data: dict) -> Participant:
    if not can_edit_participant(by, participant):
        raise NotAllowed(_("You cannot change this person's details."))
    changed = [name for name, value in data.items() if getattr(participant, name) != value]
    with transaction.atomic():
        for name, value in data.items():
            setattr(participant, name, value)
        participant.save()
        if changed:
            for case in participant.cases.all():
                _log(case, kind=CaseEvent.Kind.UPDATED, by=by, data={"fields": changed})
    return participant


def advisers_of_region(region_id: int):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__region_id=region_id, memberships__role=Role.ADVISER, is_active=True)
        .distinct()
        .order_by("first_name", "last_name")
    )


def case_assign(*, case: CaseFile, by, adviser, note: str = "") -> CaseFile:
    """Assign (or re-assign) the case's adviser; the adviser must be one of the region's."""
    if not access.can_assign_case(by, case):
        raise NotAllowed(_("Only the region lead or the programme manager can assign advisers."))
    if adviser is not None and not advisers_of_region(case.region_id).filter(pk=adviser.pk).exists():
        raise Refused(_("%(name)s is not an adviser of %(region)s.") % {"name": adviser, "region": case.region})
    with transaction.atomic():
        previous = case.adviser
        CaseFile.objects.filter(pk=case.pk).update(adviser=adviser, updated_at=timezone.now())
        case.adviser = adviser
        _log(
            case,
            kind=CaseEvent.Kind.ASSIGNED,
            by=by,
            note=note,
            data={
                "adviser": adviser.pk if adviser else None,
                "name": str(adviser) if adviser else "",
                "previous": str(previous) if previous else "",
            },
        )
    return case


def note_add(*, case: CaseFile, by, text: str, confidential: bool = False) -> Note:
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can write notes on this case."))
    text = (text or "").strip()
    if not text:
        raise Refused(_("The note is empty."))
    with transaction.atomic():
        note = Note.objects.create(case=case, author=by, text=text, confidential=confidential)
        _log(
            case,
            kind=CaseEvent.Kind.NOTE,
            by=by,
            note="" if confidential else text,
            data={"note": note.pk, "confidential": confidential},
        )
    return note


def next_action_add(*, case: CaseFile, by, title: str, due_date: date, owner=None) -> NextAction:
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can plan actions on this case."))
    owner = owner or case.adviser or by
    with transaction.atomic():
        action = NextAction.objects.create(case=case, title=title, due_date=due_date, owner=owner, created_by=by)
        _log(case, kind=CaseEvent.Kind.ACTION, by=by, note=title, data={"action": action.pk, "due": str(due_date)})
    return action


def next_action_complete(*, action_id: int, by) -> NextAction:
    with transaction.atomic():
        action = NextAction.objects.select_for_update(of=("self",)).select_related("case").get(pk=action_id)
        if not access.can_work_on_case(by, action.case):
            raise NotAllowed(_("Only the assigned adviser or the region lead can change this case."))
        if action.done_at is not None:
            return action
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        _log(
            action.case,
            kind=CaseEvent.Kind.ACTION,
            by=by,
            note=_("Done: %(title)s") % {"title": action.title},
            data={"action": action.pk, "done": True},
        )
    return action
