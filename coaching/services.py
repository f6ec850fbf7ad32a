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

from . import gates, signals
from .errors import NotAllowed, Refused
from .models import (
    OPEN_STAGES,
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

OPEN_STAGE_VALUES = [str(s) for s in OPEN_STAGES]


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
    messages: list[str] = []
    for cond in fsm_transition.conditions:
        if not cond(case):
            explain = getattr(cond, "explain", None)
            messages.extend((explain(case) if explain else []) or [str(getattr(cond, "message", cond.__name__))])
    return messages


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
        signals.case_transitioned.send(
            sender=CaseFile, case=case, by=by, name=name, from_state=from_state, to_state=case.state
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
        if "preferred_language" in changed and participant.user_id:
            # Her pages follow her profile's language: keep the login's language in step.
            from django.contrib.auth import get_user_model

            get_user_model().objects.filter(pk=participant.user_id).update(language=participant.preferred_language)
        if changed:
            for case in participant.cases.all():
                _log(case, kind=CaseEvent.Kind.UPDATED, by=by, data={"fields": changed})
    return participant


def participant_language_follows_login(sender, *, user, language: str, **kwargs) -> None:
    """Receiver of neem.profile.language_chosen: she chose her language, so her e-mails, reminders and
    PDFs (which read her preferred language) follow. Runs inside the caller's transaction."""
    participant = Participant.objects.select_for_update().filter(user=user).first()
    if participant is not None and participant.preferred_language != language:
        participant.preferred_language = language
        participant.save(update_fields=["preferred_language"])


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


# --- Notes -------------------------------------------------------------------------------------


def note_edit(*, note_id: int, by, text: str) -> Note:
    """The author may edit her note for 24 hours; after that a correction is a new note."""
    text = (text or "").strip()
    if not text:
        raise Refused(_("The note is empty."))
    with transaction.atomic():
        note = Note.objects.select_for_update(of=("self",)).select_related("case").get(pk=note_id)
        if note.author_id != by.pk or not access.can_work_on_case(by, note.case):
            raise NotAllowed(_("Only the author can edit a note."))
        if not note.is_editable():
            raise Refused(_("Notes cannot be edited after 24 hours. Write a correction instead."))
        note.text = text
        note.edited_at = timezone.now()
        note.save(update_fields=["text", "edited_at"])
    return note


def note_correct(*, note_id: int, by, text: str) -> Note:
    """A new note that references the one it corrects."""
    original = Note.objects.select_related("case").get(pk=note_id)
    if not access.can_work_on_case(by, original.case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can write notes on this case."))
    note = note_add(case=original.case, by=by, text=text, confidential=original.confidential)
    Note.objects.filter(pk=note.pk).update(corrects=original)
    note.corrects = original
    return note


# --- Hand-over ---------------------------------------------------------------------------------


def caseload_sizes(region_id: int) -> dict[int, int]:
    """Open cases per adviser in a region, one query."""
    from django.db.models import Count

    rows = (
        CaseFile.objects.filter(region_id=region_id, state__in=OPEN_STAGE_VALUES, adviser__isnull=False)
        .values("adviser_id")
        .annotate(n=Count("id"))
    )
    return {row["adviser_id"]: row["n"] for row in rows}


def cases_hand_over(
    *, by, region: Region, case_ids: list[int], to_advisers: list, balance: bool, note: str = ""
) -> dict:
    """Move cases to one or several advisers of the region in one step; logged on each case.

    With `balance`, each case goes to whoever has the smallest caseload at that moment; otherwise
    the cases are dealt out in turn. A constant number of queries whatever the number of cases.
    """
    if not access.can_manage_region(by, region.pk):
        raise NotAllowed(_("Only the region lead or the programme manager can hand cases over."))
    if not to_advisers:
        raise Refused(_("Choose at least one adviser to receive the cases."))
    valid = set(advisers_of_region(region.pk).filter(pk__in=[a.pk for a in to_advisers]).values_list("pk", flat=True))
    if len(valid) != len({a.pk for a in to_advisers}):
        raise Refused(_("Cases can only go to active advisers of %(region)s.") % {"region": region})
    with transaction.atomic():
        cases = list(
            CaseFile.objects.select_for_update(of=("self",))
            .filter(pk__in=case_ids, region=region)
            .select_related("adviser")
            .order_by("pk")
        )
        if len(cases) != len(set(case_ids)):
            raise Refused(
                _("Some of the chosen cases are not in %(region)s. Nothing was changed.") % {"region": region}
            )
        sizes = caseload_sizes(region.pk) if balance else {}
        load = {a.pk: sizes.get(a.pk, 0) for a in to_advisers}
        by_pk = {a.pk: a for a in to_advisers}
        plan: dict[int, list[CaseFile]] = {a.pk: [] for a in to_advisers}
        for i, case in enumerate(cases):
            if balance:
                target = min(load, key=lambda pk: (load[pk], pk))
            else:
                target = to_advisers[i % len(to_advisers)].pk
            if case.adviser_id != target:
                load[target] += 1
                if case.adviser_id in load:
                    load[case.adviser_id] -= 1
            plan[target].append(case)
        now = timezone.now()
        events = []
        for target, moved in plan.items():
            if not moved:
                continue
            CaseFile.objects.filter(pk__in=[c.pk for c in moved]).update(adviser_id=target, updated_at=now)
            for case in moved:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.HANDOVER,
                        actor=by,
                        at=now,
                        note=note,
                        data={
                            "adviser": target,
                            "name": str(by_pk[target]),
                            "previous": str(case.adviser) if case.adviser else "",
                        },
                    )
                )
        CaseEvent.objects.bulk_create(events)
    return {pk: len(moved) for pk, moved in plan.items()}


# --- Duplicates and merges ---------------------------------------------------------------------


def participants_merge(*, by, keep_id: int, duplicate_id: int, winners: dict[int, str] | None = None) -> Participant:
    """Merge `duplicate` into `keep`: cases, notes, next actions and timeline move over.

    When both have a case in the same programme, `winners[programme_id]` says whose case (and so
    which stage) wins: "keep" or "duplicate". The other case's timeline, notes and next actions move
    into the winner, with a line saying so, and the emptied case is removed.
    """
    from neem.models import AuditEvent

    winners = winners or {}
    if keep_id == duplicate_id:
        raise Refused(_("Choose two different people."))
    with transaction.atomic():
        people = {
            p.pk: p for p in Participant.objects.select_for_update(of=("self",)).filter(pk__in=[keep_id, duplicate_id])
        }
        if len(people) != 2:
            raise Refused(_("One of the two records no longer exists."))
        keep, duplicate = people[keep_id], people[duplicate_id]
        if keep.merged_into_id or duplicate.merged_into_id:
            raise Refused(_("One of the two records has already been merged."))
        cases = list(
            CaseFile.objects.select_for_update(of=("self",))
            .filter(participant__in=[keep, duplicate])
            .select_related("region", "programme")
        )
        for case in cases:
            if not access.can_manage_region(by, case.region_id):
                raise NotAllowed(_("Only the region lead of every case involved can merge these records."))
        kept_by_programme = {c.programme_id: c for c in cases if c.participant_id == keep.pk}
        now = timezone.now()
        summary = _("%(duplicate)s (no. %(dpk)s) was merged into %(keep)s (no. %(kpk)s).") % {
            "duplicate": duplicate.full_name,
            "dpk": duplicate.pk,
            "keep": keep.full_name,
            "kpk": keep.pk,
        }
        for case in [c for c in cases if c.participant_id == duplicate.pk]:
            other = kept_by_programme.get(case.programme_id)
            if other is None:
                CaseFile.objects.filter(pk=case.pk).update(participant=keep, updated_at=now)
                _log(case, kind=CaseEvent.Kind.MERGED, by=by, note=summary, data={"moved_case": case.pk})
                continue
            choice = winners.get(case.programme_id)
            if choice not in ("keep", "duplicate"):
                raise Refused(
                    _("Both have a case in %(programme)s: choose whose stage wins.") % {"programme": case.programme}
                )
            winner, loser = (other, case) if choice == "keep" else (case, other)
            _move_case_rows(loser, winner)
            _log(
                winner,
                kind=CaseEvent.Kind.MERGED,
                by=by,
                note=summary
                + " "
                + _("Kept the stage %(stage)s; the other case was in %(other)s.")
                % {"stage": winner.get_state_display(), "other": loser.get_state_display()},
                data={
                    "merged_case": loser.pk,
                    "loser_state": loser.state,
                    "winner_state": winner.state,
                },
            )
            loser.delete()
            kept_by_programme.pop(case.programme_id)
            if winner.participant_id != keep.pk:
                CaseFile.objects.filter(pk=winner.pk).update(participant=keep, updated_at=now)
        # The kept person's other cases get the line too, so the merge shows on each of her timelines.
        for case in kept_by_programme.values():
            _log(case, kind=CaseEvent.Kind.MERGED, by=by, note=summary, data={"duplicate": duplicate.pk})
        # Fill what the kept record lacks from the duplicate.
        for field in ("email", "phone", "date_of_birth", "country_of_birth", "languages", "household_income"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        if duplicate.user_id and not keep.user_id:
            user = duplicate.user
            duplicate.user = None
            duplicate.save(update_fields=["user"])
            keep.user = user
        keep.save()
        duplicate.merged_into = keep
        duplicate.merged_at = now
        duplicate.save()
        AuditEvent.objects.create(
            actor=by,
            action=AuditEvent.Action.MERGED,
            programme=cases[0].programme if cases else None,
            data={"keep": keep.pk, "duplicate": duplicate.pk, "winners": {str(k): v for k, v in winners.items()}},
        )
    return keep


def _move_case_rows(loser: CaseFile, winner: CaseFile) -> None:
    """Move everything that hangs on the losing case (timeline, notes, documents, messages, modules,
    loans, savings, visits, ...) to the winner, whatever app it belongs to.

    A row that cannot move because the winner already has its one-per-case counterpart (a business
    plan, say) makes the merge refuse rather than lose it.
    """
    from django.db import IntegrityError

    for relation in CaseFile._meta.related_objects:
        if relation.many_to_many or relation.related_model._meta.model_name.startswith("historical"):
            continue
        field = relation.field.name
        rows = relation.related_model._base_manager.filter(**{field: loser})
        if not rows.exists():
            continue
        if relation.one_to_one and relation.related_model._base_manager.filter(**{field: winner}).exists():
            raise Refused(
                _("Both cases have a %(what)s: the merge would lose one. Merge the other way or settle it first.")
                % {"what": relation.related_model._meta.verbose_name}
            )
        try:
            with transaction.atomic():
                rows.update(**{field: winner})
        except IntegrityError as exc:
            raise Refused(
                _("The %(what)s of the two cases cannot be combined automatically. Nothing was merged.")
                % {"what": relation.related_model._meta.verbose_name_plural}
            ) from exc
    for relation in CaseFile._meta.related_objects:
        if relation.many_to_many:
            through = relation.through if hasattr(relation, "through") else None
            if through is not None and not through._meta.auto_created:
                continue  # an explicit through model is a related object of its own, moved above
            for obj in getattr(loser, relation.get_accessor_name()).all():
                getattr(obj, relation.field.name).add(winner)


def duplicate_dismiss(*, by, first_id: int, second_id: int) -> None:
    """Record that two people who look alike are different people, so the pair stops being listed."""
    from .models import DuplicateDismissal

    low, high = sorted([first_id, second_id])
    cases = CaseFile.objects.filter(participant_id__in=[low, high])
    if not cases or not all(access.can_manage_region(by, c.region_id) for c in cases):
        raise NotAllowed(_("Only the region lead can decide about these records."))
    DuplicateDismissal.objects.get_or_create(first_id=low, second_id=high, defaults={"by": by})
