"""Writes for cohorts, coaching sessions and attendance: atomic, checked, constant queries."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from neem import access
from neem.models import Region

from .errors import NotAllowed, Refused
from .models import OPEN_STAGES, CaseFile, NextAction
from .session_models import Attendance, Cohort, CohortMember, Session

SESSION_FIELDS = [
    "kind",
    "cohort",
    "case",
    "starts_at",
    "duration_minutes",
    "place",
    "video_url",
    "adviser",
    "module",
    "topic",
]


def can_run_sessions(user, region_id: int) -> bool:
    """Plan sessions and take attendance: the region's advisers and lead, or a programme manager."""
    scope = access.scope_of(user)
    if region_id in scope.adviser_regions or region_id in scope.lead_regions:
        return True
    return Region.objects.filter(pk=region_id, programme__in=scope.manager_programmes).exists()


def session_regions(user) -> QuerySet[Region]:
    scope = access.scope_of(user)
    return (
        Region.objects.filter(pk__in=scope.adviser_regions | scope.lead_regions)
        | Region.objects.filter(programme__in=scope.manager_programmes)
    ).select_related("programme")


def _check(user, region_id: int) -> None:
    if not can_run_sessions(user, region_id):
        raise NotAllowed(_("Only the region's advisers and lead plan sessions here."))


def cohort_save(
    *, by, region: Region, name: str, starts_on, case_ids: list[int], cohort: Cohort | None = None
) -> Cohort:
    _check(by, region.pk)
    name = (name or "").strip()
    if not name:
        raise Refused(_("Give the cohort a name."))
    with transaction.atomic():
        if cohort is None:
            cohort = Cohort.objects.create(region=region, name=name, starts_on=starts_on)
        else:
            if cohort.region_id != region.pk:
                raise Refused(_("A cohort stays in its region."))
            cohort.name, cohort.starts_on = name, starts_on
            cohort.save(update_fields=["name", "starts_on"])
        wanted = set(CaseFile.objects.filter(region=region, pk__in=case_ids).values_list("pk", flat=True))
        if len(wanted) != len(set(case_ids)):
            raise Refused(_("Only participants of the region can join its cohort."))
        current = set(cohort.members.values_list("case_id", flat=True))
        cohort.members.filter(case_id__in=current - wanted).delete()
        CohortMember.objects.bulk_create([CohortMember(cohort=cohort, case_id=pk) for pk in wanted - current])
    return cohort


def session_save(*, by, region: Region, data: dict, session: Session | None = None) -> Session:
    """Plan (or change) a session. An individual one puts "take attendance" on the case's next actions."""
    _check(by, region.pk)
    kind = data.get("kind") or Session.Kind.GROUP
    case = data.get("case") if kind == Session.Kind.INDIVIDUAL else None
    cohort = data.get("cohort") if kind == Session.Kind.GROUP else None
    if kind == Session.Kind.INDIVIDUAL and case is None:
        raise Refused(_("Choose the participant of an individual session."))
    if case is not None and case.region_id != region.pk:
        raise Refused(_("The participant belongs to another region."))
    if cohort is not None and cohort.region_id != region.pk:
        raise Refused(_("The cohort belongs to another region."))
    if not data.get("place") and not data.get("video_url"):
        raise Refused(_("Give a place or a video link."))
    module = data.get("module")
    if module is not None and module.curriculum.programme_id != region.programme_id:
        raise Refused(_("The module belongs to another programme."))
    with transaction.atomic():
        if session is None:
            session = Session(region=region, created_by=by)
        elif session.region_id != region.pk:
            raise Refused(_("A session stays in its region."))
        for name in SESSION_FIELDS:
            if name in data:
                setattr(session, name, data[name])
        session.kind, session.case, session.cohort = kind, case, cohort
        session.save()
        _sync_action(session, by=by)
    return session


def _sync_action(session: Session, *, by) -> None:
    if session.case is None or session.attendance_taken_at:
        if session.next_action_id and session.case is None:
            NextAction.objects.filter(pk=session.next_action_id, done_at__isnull=True).delete()
            Session.objects.filter(pk=session.pk).update(next_action=None)
        return
    day = timezone.localtime(session.starts_at).date()
    title = (_("Individual session: %(topic)s (take attendance)") % {"topic": session.topic})[:200]
    if session.next_action_id:
        NextAction.objects.filter(pk=session.next_action_id).update(
            case=session.case, title=title, due_date=day, owner=session.adviser or by
        )
    else:
        action = NextAction.objects.create(
            case=session.case, title=title, due_date=day, owner=session.adviser or by, created_by=by
        )
        session.next_action = action
        Session.objects.filter(pk=session.pk).update(next_action=action)


def attendance_candidates(session: Session) -> list[CaseFile]:
    """Who may be marked: the individual session's participant; else the cohort (or the region's
    cases in coaching when there is no cohort), plus anyone already recorded. One query."""
    if session.kind == Session.Kind.INDIVIDUAL and session.case_id:
        condition = Q(pk=session.case_id)
    elif session.cohort_id:
        condition = Q(cohort_memberships__cohort_id=session.cohort_id, state__in=[str(s) for s in OPEN_STAGES])
    else:
        condition = Q(region_id=session.region_id, state="coaching")
    condition |= Q(attendance__session_id=session.pk)
    return list(
        CaseFile.objects.filter(condition)
        .select_related("participant")
        .distinct()
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def attendance_record(*, by, session_id: int, statuses: dict[int, str]) -> Session:
    """Record attendance for the whole session at once; "" removes a mark. Constant queries."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
        _check(by, session.region_id)
        if session.starts_at > timezone.now():
            raise Refused(_("Attendance is taken once the session has started."))
        allowed = {case.pk for case in attendance_candidates(session)}
        if set(statuses) - allowed:
            raise Refused(_("Only participants of this session can be marked."))
        valid = set(Attendance.Status.values)
        existing = {a.case_id: a for a in Attendance.objects.filter(session=session)}
        now = timezone.now()
        create, update, remove = [], [], []
        for case_id, status in statuses.items():
            row = existing.get(case_id)
            if not status:
                if row:
                    remove.append(row.pk)
            elif status not in valid:
                raise Refused(_("Unknown attendance status."))
            elif row is None:
                create.append(Attendance(session=session, case_id=case_id, status=status, recorded_by=by))
            elif row.status != status:
                row.status, row.recorded_by, row.recorded_at = status, by, now
                update.append(row)
        Attendance.objects.filter(pk__in=remove).delete()
        Attendance.objects.bulk_create(create)
        Attendance.objects.bulk_update(update, ["status", "recorded_by", "recorded_at"])
        session.attendance_taken_at = now
        session.save(update_fields=["attendance_taken_at"])
        if session.next_action_id:
            NextAction.objects.filter(pk=session.next_action_id, done_at__isnull=True).update(done_at=now)
    return session
