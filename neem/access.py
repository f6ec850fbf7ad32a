"""Who may see and do what. Every selector and service asks here; templates only mirror it.

A user's scope is read once per request (one query) and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Membership, Role


@dataclass(frozen=True)
class Scope:
    adviser_regions: frozenset[int] = field(default_factory=frozenset)
    lead_regions: frozenset[int] = field(default_factory=frozenset)
    manager_programmes: frozenset[int] = field(default_factory=frozenset)
    admin_programmes: frozenset[int] = field(default_factory=frozenset)
    committee_programmes: frozenset[int] = field(default_factory=frozenset)
    # Volunteer mentors: not staff, never case readers; they see only their mentees (coaching.mentoring_services).
    mentor_programmes: frozenset[int] = field(default_factory=frozenset)
    editor_programmes: frozenset[int] = field(default_factory=frozenset)
    # Evaluators: read the programme's outcomes, anonymised (outcomes app); never case readers.
    evaluator_programmes: frozenset[int] = field(default_factory=frozenset)
    # region -> programme, for every region the user holds a role in
    region_programme: dict[int, int] = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return bool(
            self.adviser_regions
            or self.lead_regions
            or self.manager_programmes
            or self.admin_programmes
            or self.committee_programmes
            or self.editor_programmes
        )

    @property
    def programmes(self) -> frozenset[int]:
        """Every programme the user holds any role in."""
        return (
            self.manager_programmes
            | self.admin_programmes
            | self.committee_programmes
            | self.editor_programmes
            | frozenset(self.region_programme.values())
        )

    @property
    def case_reader_regions(self) -> frozenset[int]:
        return self.adviser_regions | self.lead_regions

    @property
    def case_reader_programmes(self) -> frozenset[int]:
        return self.manager_programmes | self.admin_programmes


EMPTY = Scope()


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, "_neem_scope", None)
    if cached is not None:
        return cached
    adviser, lead, manager, admin, committee, mentor, editor, evaluator = (set() for _ in range(8))
    region_programme: dict[int, int] = {}
    for role, programme_id, region_id in Membership.objects.filter(user=user).values_list(
        "role", "programme_id", "region_id"
    ):
        if region_id:
            region_programme[region_id] = programme_id
        if role == Role.ADVISER:
            adviser.add(region_id)
        elif role == Role.REGION_LEAD:
            lead.add(region_id)
        elif role == Role.MANAGER:
            manager.add(programme_id)
        elif role == Role.ADMINISTRATOR:
            admin.add(programme_id)
        elif role == Role.COMMITTEE:
            committee.add(programme_id)
        elif role == Role.MENTOR:
            mentor.add(programme_id)
        elif role == Role.EDITOR:
            editor.add(programme_id)
        elif role == Role.EVALUATOR:
            evaluator.add(programme_id)
    scope = Scope(
        adviser_regions=frozenset(adviser),
        lead_regions=frozenset(lead),
        manager_programmes=frozenset(manager),
        admin_programmes=frozenset(admin),
        committee_programmes=frozenset(committee),
        mentor_programmes=frozenset(mentor),
        editor_programmes=frozenset(editor),
        evaluator_programmes=frozenset(evaluator),
        region_programme=region_programme,
    )
    user._neem_scope = scope
    return scope


def forget_scope(user) -> None:
    if hasattr(user, "_neem_scope"):
        del user._neem_scope


# --- Case files --------------------------------------------------------------------------------
# These take the case's region/programme/adviser ids so they work on any case row without queries.


def can_view_case(user, case) -> bool:
    scope = scope_of(user)
    return case.region_id in scope.case_reader_regions or case.programme_id in scope.case_reader_programmes


def can_work_on_case(user, case) -> bool:
    """Change the case: the assigned adviser, or the region lead. Others of the region only read."""
    scope = scope_of(user)
    if case.region_id in scope.lead_regions:
        return True
    return case.adviser_id == user.pk and case.region_id in scope.adviser_regions


def can_assign_case(user, case) -> bool:
    """(Re-)assign an adviser or move a case between regions: region lead or programme manager."""
    scope = scope_of(user)
    return case.region_id in scope.lead_regions or case.programme_id in scope.manager_programmes


def can_create_participants(user) -> bool:
    scope = scope_of(user)
    return bool(scope.adviser_regions or scope.lead_regions or scope.manager_programmes)


def regions_for_new_cases(user):
    """Regions where the user may open a case."""
    from .models import Region

    scope = scope_of(user)
    return Region.objects.filter(pk__in=scope.adviser_regions | scope.lead_regions) | Region.objects.filter(
        programme__in=scope.manager_programmes
    )


def can_read_confidential(user, case) -> bool:
    """Confidential notes: only the assigned adviser and the region lead."""
    scope = scope_of(user)
    return case.region_id in scope.lead_regions or (
        case.adviser_id == user.pk and case.region_id in scope.adviser_regions
    )


def can_manage_region(user, region_id: int) -> bool:
    """Hand-overs, duplicates and merges: the region lead, or a manager of the programme."""
    scope = scope_of(user)
    if region_id in scope.lead_regions:
        return True
    from .models import Region

    return Region.objects.filter(pk=region_id, programme__in=scope.manager_programmes).exists()


def managed_regions(user):
    from django.db.models import Q

    from .models import Region

    scope = scope_of(user)
    return Region.objects.filter(
        Q(pk__in=scope.lead_regions) | Q(programme__in=scope.manager_programmes)
    ).select_related("programme")


def administered_programmes(user) -> frozenset[int]:
    return scope_of(user).admin_programmes


def can_edit_curriculum(user, programme_id: int) -> bool:
    """The curriculum is the programme's: its managers and administrators edit it."""
    scope = scope_of(user)
    return programme_id in scope.manager_programmes or programme_id in scope.admin_programmes


def outcomes_programmes(user) -> frozenset[int]:
    """Programmes whose outcomes the user may read: managers and evaluators whole, advisers and leads their regions."""
    scope = scope_of(user)
    return (
        scope.manager_programmes
        | scope.evaluator_programmes
        | frozenset(scope.region_programme[r] for r in scope.case_reader_regions)
    )


# --- Personal data (privacy app) -------------------------------------------------------------------
# Ethnic background and residence status (Participant.SENSITIVE_FIELDS) are shown to those whose role needs them:
# the assigned adviser, the region lead and the programme manager (intake and eligibility). Colleague advisers,
# administrators, committee members, mentors and evaluators never see them.


def can_see_sensitive(user, case) -> bool:
    scope = scope_of(user)
    if case.region_id in scope.lead_regions or case.programme_id in scope.manager_programmes:
        return True
    return case.adviser_id == user.pk and case.region_id in scope.adviser_regions


def can_export_personal_data(user, case) -> bool:
    """A participant's data export: her region lead or the programme manager."""
    return can_assign_case(user, case)


def can_erase_personal_data(user, case) -> bool:
    """Erasure and the access log: the programme manager only."""
    return case.programme_id in scope_of(user).manager_programmes
