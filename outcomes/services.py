"""Writes of the outcomes app: indicators, the export log, the participant import."""

from __future__ import annotations

from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import CaseEvent, CaseFile, Participant, Stage
from neem import access

from .importer import RowCheck, Table, check_rows
from .models import CaseOutcomeDetail, ExportLog, Indicator


class ImportRejected(Exception):
    def __init__(self, checks: list[RowCheck], message: str):
        super().__init__(message)
        self.checks = checks


def _require_manager(user, programme) -> None:
    if programme.pk not in access.scope_of(user).manager_programmes:
        raise PermissionDenied


def indicator_save(*, by, indicator: Indicator) -> Indicator:
    """Create or change an indicator of a programme the user manages (the form has validated it)."""
    _require_manager(by, indicator.programme)
    indicator.full_clean()
    indicator.save()
    return indicator


def social_enterprises_set(*, by, programme, case_ids: set[int]) -> int:
    """Mark which of the programme's started companies are social enterprises (the others are not)."""
    from coaching.models import Outcome

    _require_manager(by, programme)
    companies = CaseFile.objects.filter(programme=programme, state=Stage.CLOSED, outcome=Outcome.COMPANY_STARTED)
    with transaction.atomic():
        for case_id in companies.values_list("pk", flat=True):
            CaseOutcomeDetail.objects.update_or_create(
                case_id=case_id, defaults={"social_enterprise": case_id in case_ids}
            )
    return companies.filter(pk__in=case_ids).count()


def export_log(*, by, programme, what: str, filters: dict, row_count: int) -> ExportLog:
    return ExportLog.objects.create(
        user=by,
        programme=programme,
        what=what,
        personal=what in ExportLog.PERSONAL,
        filters=filters,
        row_count=row_count,
    )


def _opened(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def participants_import(
    *, by, programme, table: Table, mapping: dict, allow_duplicates: bool = False
) -> list[CaseFile]:
    """All rows or none: each becomes a participant with a case in her stage and an 'imported' timeline line."""
    _require_manager(by, programme)
    with transaction.atomic():
        checks = check_rows(table, mapping, programme=programme)
        if any(not c.ok for c in checks):
            raise ImportRejected(checks, _("Nothing was imported: correct the rows with errors first."))
        if not allow_duplicates and any(c.duplicates for c in checks):
            raise ImportRejected(
                checks, _("Nothing was imported: check the possible duplicates, then confirm to import them.")
            )
        now = timezone.now()
        created = []
        for check in checks:
            values = dict(check.values)
            region = values.pop("region")
            stage = values.pop("stage")
            outcome = values.pop("outcome", "")
            opened = _opened(values.pop("opened_at")) if values.get("opened_at") else now
            participant = Participant(**values)
            participant.save()
            case = CaseFile(
                participant=participant,
                programme=programme,
                region=region,
                state=stage,  # the FSM field is set once, at construction: an import is not a transition
                outcome=outcome,
                opened_at=opened,
                stage_entered_at=now,
                closed_at=now if stage == Stage.CLOSED else None,
            )
            case.save()
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.OPENED,
                actor=by,
                to_state=stage,
                transition="imported",
                note=_("Imported from %(file)s, row %(row)s.") % {"file": table.name, "row": check.number},
                data={"imported": True, "file": table.name, "row": check.number},
            )
            created.append(case)
    return created
