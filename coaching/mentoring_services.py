"""Volunteer mentors: matching, the meetings they log, and what the lending rules ask of mentoring.

Mentors are not staff: they never read case pages (neem.access gives them no case scope). What a
mentor sees is only what `matches_of_mentor` returns: her active mentees' names, stages and the
meetings she logged.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from neem import access
from neem.models import Role

from .errors import NotAllowed, Refused
from .mentoring_models import MentorMatch, MentorMeeting
from .models import CaseEvent, CaseFile


def is_mentor(user) -> bool:
    return bool(access.scope_of(user).mentor_programmes)


def mentors_of_programme(programme_id: int) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(memberships__programme_id=programme_id, memberships__role=Role.MENTOR, is_active=True)
        .distinct()
        .order_by("first_name", "last_name")
    )


def matches_of_mentor(user) -> QuerySet[MentorMatch]:
    """The mentor's own active mentees with her meeting log. Two queries."""
    scope = access.scope_of(user)
    return (
        MentorMatch.objects.filter(mentor=user, ended_on__isnull=True, case__programme_id__in=scope.mentor_programmes)
        .select_related("case__participant")
        .prefetch_related(Prefetch("meetings", queryset=MentorMeeting.objects.order_by("-date", "-id")))
        .order_by("case__participant__last_name", "case__participant__first_name")
    )


def active_matches_of_case(case) -> list[MentorMatch]:
    return list(
        MentorMatch.objects.filter(case=case, ended_on__isnull=True)
        .select_related("mentor")
        .annotate(meeting_count=Count("meetings"))
    )


def has_taken_part_in_mentoring(case) -> bool:
    """The participant has met a mentor at least once (seed 000: a condition for a loan)."""
    return MentorMeeting.objects.filter(match__case_id=case.pk).exists()


def mentoring_requirement_met(case) -> bool:
    """For the lending work: True when the programme does not ask for mentoring, or it happened."""
    return not case.programme.require_mentoring_before_loan or has_taken_part_in_mentoring(case)


def _log(case, *, by, note: str, **data) -> None:
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MENTORING, actor=by, note=note, data=data)


def mentor_match(*, case: CaseFile, mentor, by, started_on: date | None = None) -> MentorMatch:
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can match this participant with a mentor."))
    if not mentors_of_programme(case.programme_id).filter(pk=mentor.pk).exists():
        raise Refused(_("%(name)s is not a mentor of this programme.") % {"name": mentor})
    if case.state in ("closed", "withdrawn"):
        raise Refused(_("The case is finished."))
    with transaction.atomic():
        if MentorMatch.objects.filter(case=case, mentor=mentor, ended_on__isnull=True).exists():
            raise Refused(_("They are already matched."))
        match = MentorMatch.objects.create(
            case=case, mentor=mentor, started_on=started_on or timezone.localdate(), created_by=by
        )
        _log(
            case,
            by=by,
            note=_("Matched with the mentor %(name)s.") % {"name": mentor},
            match=match.pk,
            mentor=mentor.pk,
        )
    return match


def mentor_match_end(*, match_id: int, by) -> MentorMatch:
    with transaction.atomic():
        match = MentorMatch.objects.select_for_update(of=("self",)).select_related("case", "mentor").get(pk=match_id)
        if not access.can_work_on_case(by, match.case):
            raise NotAllowed(_("Only the assigned adviser or the region lead can change this case."))
        if match.ended_on:
            return match
        match.ended_on = timezone.localdate()
        match.save(update_fields=["ended_on"])
        _log(match.case, by=by, note=_("Mentoring with %(name)s ended.") % {"name": match.mentor}, match=match.pk)
    return match


def mentor_meeting_log(*, match_id: int, by, date: date, topic: str, note: str = "") -> MentorMeeting:
    """The mentor records a meeting with her mentee."""
    topic = (topic or "").strip()
    if not topic:
        raise Refused(_("Give the topic of the meeting."))
    if date > timezone.localdate():
        raise Refused(_("The meeting cannot be in the future."))
    with transaction.atomic():
        match = MentorMatch.objects.select_for_update(of=("self",)).select_related("case").get(pk=match_id)
        if match.mentor_id != by.pk or match.case.programme_id not in access.scope_of(by).mentor_programmes:
            raise NotAllowed(_("You can only log meetings with your own mentees."))
        if match.ended_on:
            raise Refused(_("This mentoring has ended."))
        meeting = MentorMeeting.objects.create(match=match, date=date, topic=topic, note=(note or "").strip())
        _log(
            match.case,
            by=by,
            note=_("Mentor meeting on %(date)s: %(topic)s") % {"date": date.isoformat(), "topic": topic},
            match=match.pk,
            meeting=meeting.pk,
        )
    return meeting
