"""Opening and filling health-check rounds: atomic, access re-checked, logged on the case."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.errors import NotAllowed, Refused
from coaching.models import CaseEvent, CaseFile
from neem import access

from .models import MAX_SCORE, MIN_SCORE, Questionnaire, Round, Score


def _log(case: CaseFile, *, by, note: str, data: dict) -> None:
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.UPDATED, actor=by, note=note, data={"health_check": True, **data}
    )


def can_fill(user, case: CaseFile) -> bool:
    """The participant herself, or her adviser (or region lead) filling it in with her."""
    own = bool(user and user.is_authenticated and case.participant.user_id == user.pk)
    return own or access.can_work_on_case(user, case)


def round_open(*, case: CaseFile, by, kind: str) -> Round:
    if not access.can_work_on_case(by, case):
        raise NotAllowed(_("Only the assigned adviser or the region lead can open a health check."))
    if kind not in Round.Kind.values:
        raise Refused(_("Choose when the health check is taken: at the start, midway or at the end."))
    if not case.is_open:
        raise Refused(_("The case is finished."))
    questionnaire = Questionnaire.objects.filter(programme_id=case.programme_id, active=True).first()
    if questionnaire is None:
        raise Refused(_("The programme has no health-check questionnaire yet."))
    with transaction.atomic():
        if Round.objects.filter(case=case, kind=kind).exists():
            raise Refused(_("This health check has already been opened."))
        health_round = Round.objects.create(case=case, questionnaire=questionnaire, kind=kind, opened_by=by)
        _log(
            case,
            by=by,
            note=_("Health check opened (%(kind)s).") % {"kind": health_round.get_kind_display()},
            data={"round": health_round.pk, "kind": kind},
        )
    return health_round


def round_fill(*, round_id: int, by, scores: dict[int, int]) -> Round:
    """Record a score for every area of the round's questionnaire. A filled round is final."""
    with transaction.atomic():
        health_round = (
            Round.objects.select_for_update(of=("self",)).select_related("case__participant").get(pk=round_id)
        )
        case = health_round.case
        if not can_fill(by, case):
            raise NotAllowed(_("Only the participant and her adviser can fill in this health check."))
        if health_round.is_filled:
            raise Refused(_("This health check has already been filled in."))
        area_ids = set(health_round.questionnaire.areas.values_list("pk", flat=True))
        if set(scores) != area_ids:
            raise Refused(_("Give every area a score."))
        if any(not isinstance(v, int) or not MIN_SCORE <= v <= MAX_SCORE for v in scores.values()):
            raise Refused(_("Each score is a whole number from 1 to 5."))
        Score.objects.bulk_create(
            [Score(round=health_round, area_id=area_id, value=value) for area_id, value in scores.items()]
        )
        health_round.taken_at = timezone.now()
        health_round.filled_by = by
        health_round.save(update_fields=["taken_at", "filled_by"])
        _log(
            case,
            by=by,
            note=_("Health check filled in (%(kind)s).") % {"kind": health_round.get_kind_display()},
            data={"round": health_round.pk, "kind": health_round.kind},
        )
    return health_round
