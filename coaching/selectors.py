"""Reads, each scoped to the user. Views and exports start from these, so a stranger gets 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from neem import access

from .models import CaseEvent, CaseFile, NextAction, Participant


def cases_visible_to(user) -> QuerySet[CaseFile]:
    scope = access.scope_of(user)
    if not (scope.case_reader_regions or scope.case_reader_programmes):
        return CaseFile.objects.none()
    return CaseFile.objects.filter(
        Q(region_id__in=scope.case_reader_regions) | Q(programme_id__in=scope.case_reader_programmes)
    )


def participants_visible_to(user) -> QuerySet[Participant]:
    return Participant.objects.filter(pk__in=cases_visible_to(user).values("participant_id"), merged_into__isnull=True)


def case_for_page(user, pk: int, *, with_login: bool = False) -> CaseFile:
    """The case with what its page shows, or Http404 if the user may not see it.

    `with_login`: her login (participant.user) too, in the same query: the case page shows it."""
    from django.shortcuts import get_object_or_404

    related = ["participant", "programme", "region", "adviser"]
    if with_login:
        related.append("participant__user")
    return get_object_or_404(cases_visible_to(user).select_related(*related), pk=pk)


def timeline(case: CaseFile, *, limit: int = 200) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor")[:limit]


SORTS = {
    "name": ("participant__last_name", "participant__first_name"),
    "-name": ("-participant__last_name", "-participant__first_name"),
    "stage": ("state", "participant__last_name"),
    "due": ("next_due", "participant__last_name"),
    "updated": ("-updated_at",),
    "opened": ("-opened_at",),
}


@dataclass
class CaseloadFilters:
    q: str = ""
    stage: str = ""
    region: int | None = None
    adviser: int | str | None = None  # a user id, or "none" for unassigned
    mine: bool = False
    include_closed: bool = False
    sort: str = "due"


CASELOAD_COLUMNS = (
    "state",
    "participant__first_name",
    "participant__last_name",
    "participant__email",
    "participant__phone",
    "participant__preferred_language",
    "participant__needs_interpreter",
    "region__name",
    "adviser__first_name",
    "adviser__last_name",
    "adviser__email",
)


def caseload(user, filters: CaseloadFilters) -> QuerySet[CaseFile]:
    """The case list: overdue next actions first, then the chosen sort. Constant queries."""
    today = timezone.localdate()
    # Only the columns the rows show (coaching/templatetags/caseload.py): four models of some 70 columns made
    # for each of the page's rows were a good part of the page's time (manage.py bench).
    qs = cases_visible_to(user).select_related("participant", "region", "adviser").only(*CASELOAD_COLUMNS)
    if filters.mine:
        qs = qs.filter(adviser=user)
    if filters.stage:
        qs = qs.filter(state=filters.stage)
    elif not filters.include_closed:
        qs = qs.exclude(state__in=["closed", "withdrawn"])
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.adviser == "none":
        # A deactivated adviser's cases count as unassigned until they are handed over.
        qs = qs.filter(Q(adviser__isnull=True) | Q(adviser__is_active=False))
    elif filters.adviser:
        qs = qs.filter(adviser_id=filters.adviser)
    if filters.q:
        qs = qs.filter(_search(filters.q))
    # A correlated subquery on the partial index of open actions (case, due_date), not a GROUP BY over every
    # selected column: the cost follows the caseload, not the width of the rows (manage.py bench).
    next_due = NextAction.objects.filter(case=OuterRef("pk"), done_at__isnull=True).order_by("due_date")
    qs = qs.annotate(next_due=Subquery(next_due.values("due_date")[:1])).annotate(
        overdue=Case(When(next_due__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    if filters.sort == "due":
        # Overdue first is the same order as the earliest due date first (an overdue date is before today), so
        # the sort needs the subquery once per case; `overdue`, not a sort key, is then worked out for the
        # page's rows only (PostgreSQL evaluates such an expression after the LIMIT).
        return qs.order_by(F("next_due").asc(nulls_last=True), "participant__last_name", "pk")
    return qs.order_by("-overdue", *SORTS.get(filters.sort, SORTS["due"]), "pk")


def _search(text: str) -> Q:
    from .normalize import name_key, normalize_email, normalize_phone

    text = text.strip()
    condition = Q()
    for word in name_key(text, "").split():
        condition &= Q(participant__name_key__contains=word)
    normalized_phone = normalize_phone(text)
    if normalized_phone:
        condition |= Q(participant__phone_normalized=normalized_phone)
    if "@" in text:
        condition |= Q(participant__email_normalized__contains=normalize_email(text))
    return condition


def possible_duplicates(*, email: str, phone: str, first_name: str, last_name: str, date_of_birth, exclude_pk=None):
    """People who look like the one being entered: same e-mail, phone, or name and date of birth."""
    from .normalize import name_key, normalize_email, normalize_phone

    condition = Q(pk__in=[])
    if normalize_email(email):
        condition |= Q(email_normalized=normalize_email(email))
    if normalize_phone(phone):
        condition |= Q(phone_normalized=normalize_phone(phone))
    if first_name and last_name and date_of_birth:
        condition |= Q(name_key=name_key(first_name, last_name), date_of_birth=date_of_birth)
    qs = Participant.objects.filter(condition)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.prefetch_related("cases__region")[:10]


def my_next_actions(user) -> QuerySet[NextAction]:
    scope = access.scope_of(user)
    # Filter on the joined case's region and programme (the plan starts from her own actions) rather than
    # `case__in=cases_visible_to(user)`, which hashes every case of her regions first.
    return (
        NextAction.objects.filter(owner=user, done_at__isnull=True)
        .filter(
            Q(case__region_id__in=scope.case_reader_regions) | Q(case__programme_id__in=scope.case_reader_programmes)
        )
        .select_related("case__participant")
        # What the caseload's "My next actions" shows: due date (is_overdue: done_at), title, case id and her name
        # (and the case's state, which django-fsm's ConcurrentTransitionMixin reads when the case is made).
        .only(
            "title",
            "due_date",
            "done_at",
            "case__state",
            "case__participant__first_name",
            "case__participant__last_name",
        )
        .order_by("due_date")
    )


def today_actions(user, *, horizon_days: int = 7) -> dict[str, list[NextAction]]:
    """An adviser's open next actions across her cases: overdue, today, the coming week. One query."""
    from datetime import timedelta

    today = timezone.localdate()
    actions = list(
        NextAction.objects.filter(
            owner=user,
            done_at__isnull=True,
            due_date__lte=today + timedelta(days=horizon_days),
            case__in=cases_visible_to(user),
        )
        .select_related("case__participant", "case__region")
        .order_by("due_date", "pk")
    )
    return {
        "overdue": [a for a in actions if a.due_date < today],
        "today": [a for a in actions if a.due_date == today],
        "upcoming": [a for a in actions if a.due_date > today],
    }


@dataclass
class DuplicatePair:
    first: Participant
    second: Participant
    reasons: list[str]


def duplicate_pairs(user, *, similarity: float = 0.85) -> list[DuplicatePair]:
    """Likely duplicate people among the regions the user manages.

    Exact matches on the normalised e-mail, phone, or name with date of birth; and similar names
    (difflib ratio >= `similarity` on the accent-free name) born the same year.
    """
    from collections import defaultdict
    from difflib import SequenceMatcher

    from django.utils.translation import gettext as _

    from .models import DuplicateDismissal

    regions = access.managed_regions(user)
    people = list(
        Participant.objects.filter(merged_into__isnull=True, cases__region__in=regions)
        .distinct()
        .prefetch_related("cases__region")
        .order_by("pk")
    )
    dismissed = set(DuplicateDismissal.objects.filter(first__in=people).values_list("first_id", "second_id"))
    found: dict[tuple[int, int], list[str]] = defaultdict(list)

    def group(key_func, reason):
        buckets = defaultdict(list)
        for person in people:
            key = key_func(person)
            if key:
                buckets[key].append(person)
        for members in buckets.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    found[(a.pk, b.pk)].append(reason)

    group(lambda p: p.email_normalized, _("same e-mail"))
    group(lambda p: p.phone_normalized, _("same phone"))
    group(lambda p: (p.name_key, p.date_of_birth) if p.date_of_birth else None, _("same name and date of birth"))
    by_year = defaultdict(list)
    for person in people:
        if person.date_of_birth:
            by_year[person.date_of_birth.year].append(person)
    for members in by_year.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.name_key != b.name_key and SequenceMatcher(None, a.name_key, b.name_key).ratio() >= similarity:
                    found[(a.pk, b.pk)].append(_("similar name, same birth year"))
    by_pk = {p.pk: p for p in people}
    return [
        DuplicatePair(by_pk[a], by_pk[b], reasons)
        for (a, b), reasons in sorted(found.items())
        if (a, b) not in dismissed
    ]
