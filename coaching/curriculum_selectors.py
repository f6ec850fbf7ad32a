"""Reads for the curriculum, a case's progress, sessions and hours. Each is scoped by its caller's selector."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from neem import access

from .curriculum_models import ChecklistItem, Curriculum, ItemCheck, Module, ModuleProgress
from .session_models import Attendance, Session


def current_curriculum(programme_id: int) -> Curriculum | None:
    """The newest published version: the one a case entering coaching now works through."""
    return Curriculum.objects.filter(programme_id=programme_id, published_at__isnull=False).order_by("-version").first()


def draft_curriculum(programme_id: int) -> Curriculum | None:
    return Curriculum.objects.filter(programme_id=programme_id, published_at__isnull=True).first()


def curriculum_with_modules(curriculum: Curriculum) -> list[Module]:
    return list(
        curriculum.modules.order_by("order", "id").prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.order_by("order", "id")), "resources"
        )
    )


def case_progress(case) -> list[ModuleProgress]:
    """The case's modules in order, each with its items and ticks. Three queries whatever the size."""
    return list(
        ModuleProgress.objects.filter(case=case)
        .select_related("module__curriculum", "approved_by")
        .prefetch_related(
            Prefetch("module__items", queryset=ChecklistItem.objects.order_by("order", "id")),
            Prefetch("checks", queryset=ItemCheck.objects.select_related("checked_by")),
        )
        .order_by("module__order", "module_id")
    )


def case_progress_for_panel(case) -> list[ModuleProgress]:
    """The case's modules in order as the case page's panel lists them: status, title, whether mandatory and
    the curriculum's version (`version`). One query, without the checklist items and ticks `case_progress`
    reads, the texts the panel does not show or a join to the curriculum."""
    return list(
        ModuleProgress.objects.filter(case=case)
        .select_related("module")
        .only("case_id", "status", "module__title", "module__mandatory")
        .annotate(version=F("module__curriculum__version"))
        .order_by("module__order", "module_id")
    )


def current_progress(progress: list[ModuleProgress]) -> ModuleProgress | None:
    """The module the case is working on now: the first one open or sent back."""
    return next((p for p in progress if p.is_workable), None)


def progress_for_case(case, progress_pk: int) -> ModuleProgress:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ModuleProgress.objects.select_related("module__curriculum"), case=case, pk=progress_pk)


def mandatory_modules_approved(case) -> bool:
    """The gate from coaching to the business plan.

    True when every mandatory module of the version the case works through is approved. A case
    without progress passes only if its programme has no published curriculum at all.
    """
    rows = ModuleProgress.objects.filter(case_id=case.pk)
    if not rows.exists():
        return not Curriculum.objects.filter(programme_id=case.programme_id, published_at__isnull=False).exists()
    return not rows.filter(module__mandatory=True).exclude(status=ModuleProgress.Status.APPROVED).exists()


# --- Sessions and hours -----------------------------------------------------------------------


def present_minutes(case) -> int:
    """Minutes of coaching the participant attended (present only): what funders count."""
    return Attendance.objects.filter(case=case, status=Attendance.Status.PRESENT).aggregate(
        minutes=Coalesce(Sum("session__duration_minutes"), 0)
    )["minutes"]


def attendance_summary(case) -> dict:
    """Sessions present / absent / excused and hours present, one query (a row per status: cheaper to build than
    a filtered count per status)."""
    from django.db.models import Count

    row = {"present": 0, "absent": 0, "excused": 0, "minutes": 0}
    for status, count, minutes in (
        Attendance.objects.filter(case=case)
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"), minutes=Sum("session__duration_minutes"))
    ):
        if status in Attendance.Status.values:
            row[status] = count
        if status == Attendance.Status.PRESENT:
            row["minutes"] = minutes or 0
    row["hours"] = round(row["minutes"] / 60, 1)
    return row


def hours_by_case(cases: QuerySet) -> dict[int, int]:
    """case id -> minutes present, for many cases in one query (reports, cohort pages)."""
    rows = (
        Attendance.objects.filter(case__in=cases, status=Attendance.Status.PRESENT)
        .values("case_id")
        .annotate(minutes=Sum("session__duration_minutes"))
    )
    return {row["case_id"]: row["minutes"] for row in rows}


def sessions_visible_to(user) -> QuerySet[Session]:
    scope = access.scope_of(user)
    if not (scope.case_reader_regions or scope.case_reader_programmes):
        return Session.objects.none()
    return Session.objects.filter(
        Q(region_id__in=scope.case_reader_regions) | Q(region__programme_id__in=scope.case_reader_programmes)
    )


def session_list(user) -> QuerySet[Session]:
    """The session list: constant queries whatever the number of sessions."""
    from django.db.models import Count

    return (
        sessions_visible_to(user)
        .select_related("region", "cohort", "adviser", "module", "case__participant")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            recorded_count=Count("attendance"),
        )
    )
