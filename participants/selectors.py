"""Reads of the participant's pages, each scoped to the user; object reads 404 for strangers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import (
    JOURNEY,
    CaseFile,
    ChecklistItem,
    CohortMember,
    ItemCheck,
    ModuleProgress,
    Session,
    Stage,
)
from neem import access

from .models import CheckIn, Document, Message, ReminderPreference

# Her case's stages in her words: (stage, what it is called, what it means for her now).
STAGE_WORDS = {
    Stage.MOBILISED: (_("Signed up"), _("You have signed up. We will contact you to get started.")),
    Stage.INTAKE: (_("Getting to know you"), _("We are getting to know you and your business idea.")),
    Stage.COACHING: (_("Coaching"), _("You are learning with your adviser, one module at a time.")),
    Stage.BUSINESS_PLAN: (_("Business plan"), _("You are writing your business plan.")),
    Stage.LOAN: (_("Your loan"), _("You are applying for a loan, or paying it back.")),
    Stage.FOLLOW_UP: (_("Your business runs"), _("Your business is running. We stay in touch.")),
    Stage.CLOSED: (_("Done"), _("You have finished the programme. Well done!")),
    Stage.WITHDRAWN: (_("Stopped"), _("You have left the programme.")),
}


def case_for_participant(user, case_pk: int) -> CaseFile:
    """Her own case, or Http404: she never learns whether someone else's case exists."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        CaseFile.objects.select_related("participant__user", "programme", "region", "adviser"),
        pk=case_pk,
        participant__user=user,
    )


def case_for_reader(user, case_pk: int) -> CaseFile:
    """Her own case, or a case the staff member may read; Http404 otherwise."""
    case = get_object_or_404(
        CaseFile.objects.select_related("participant__user", "programme", "region", "adviser"), pk=case_pk
    )
    if user.is_authenticated and (case.participant.user_id == user.pk or access.can_view_case(user, case)):
        return case
    raise Http404


def document_for(user, pk: int) -> Document:
    """A document its case's participant or a reader of the case may open; Http404 for everyone else."""
    document = get_object_or_404(Document.objects.select_related("case__participant", "uploaded_by"), pk=pk)
    case = document.case
    if user.is_authenticated and (case.participant.user_id == user.pk or access.can_view_case(user, case)):
        return document
    raise Http404


def documents_of(case: CaseFile) -> QuerySet[Document]:
    return case.documents.select_related("uploaded_by").defer("sha256")


def thread(case: CaseFile) -> QuerySet[Message]:
    return case.messages.select_related("author")


def preference_of(participant) -> ReminderPreference:
    """Her choice, or the default (both on) without writing a row."""
    return ReminderPreference.objects.filter(participant=participant).first() or ReminderPreference(
        participant=participant
    )


# --- "My path" ---------------------------------------------------------------------------------------


@dataclass
class Step:
    stage: str
    title: str
    state: str  # "done" | "current" | "todo"


@dataclass
class CasePath:
    case: CaseFile
    steps: list[Step]
    now_words: str
    current: ModuleProgress | None = None
    items: list[dict] = field(default_factory=list)
    approved: int = 0
    total: int = 0
    sessions: list[Session] = field(default_factory=list)
    plan: object = None
    plan_comments: int = 0
    plan_writable: bool = False
    rounds: list = field(default_factory=list)
    loans: list[dict] = field(default_factory=list)


def steps_for(case: CaseFile) -> list[Step]:
    stages = [*JOURNEY] + ([Stage.WITHDRAWN] if case.state == Stage.WITHDRAWN else [])
    here = stages.index(case.state) if case.state in stages else -1
    steps = []
    for index, stage in enumerate(stages):
        if case.state == Stage.WITHDRAWN and stage != Stage.WITHDRAWN:
            state = "todo"
        else:
            state = "done" if index < here else "current" if index == here else "todo"
        steps.append(Step(stage=stage, title=str(STAGE_WORDS[stage][0]), state=state))
    return steps


class _IdList(Func):
    """The ids of a subquery's rows as one text, `1,5,9` (no GROUP BY): PostgreSQL's STRING_AGG, SQLite's
    GROUP_CONCAT. Neither orders it; None when there are none."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s, ',')"
        )


def _id_list(rows: QuerySet, field: str) -> Subquery:
    return Subquery(rows.order_by().values(ids=_IdList(F(field))))


def _ids(text: str | None) -> list[int]:
    return [int(value) for value in text.split(",")] if text else []


def _count(rows: QuerySet) -> Subquery:
    """`(SELECT COUNT(*) FROM rows)` for an annotation: 0 when there are none, no GROUP BY to write."""
    return Subquery(rows.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def my_cases(participant) -> QuerySet[CaseFile]:
    unread = Message.objects.filter(case=OuterRef("pk"), from_participant=False, read_at__isnull=True)
    return participant.cases.select_related("programme", "adviser").annotate(
        unread_messages=_count(unread), document_count=_count(Document.objects.filter(case=OuterRef("pk")))
    )


def my_path(participant, *, today: date | None = None) -> list[CasePath]:
    """Everything "My path" shows, read in a fixed number of queries per case with a loan.

    Modules, sessions, plans and health checks are read for all her cases at once.
    """
    from healthchecks.models import Round
    from loans import selectors as loan_selectors
    from loans import services as loan_services
    from loans.models import Loan, LoanStatus
    from plans.models import SectionComment
    from plans.permissions import PLAN_STAGES

    today = today or timezone.localdate()
    # In the cases' query: her plan (a case has one) with its comment count, and the cohorts she is in.
    cases = list(
        my_cases(participant)
        .select_related("business_plan")
        # Only what the page shows: the programme's name, the adviser's name (str(user)), the stage, the plan's
        # status (each case's and plan's state is read by django-fsm when the row is made); and the case's
        # participant id, by which her related manager attaches her to each case.
        .only(
            "participant",
            "state",
            "programme__name",
            "adviser__first_name",
            "adviser__last_name",
            "adviser__email",
            "business_plan__status",
        )
        .annotate(
            plan_comment_count=_count(SectionComment.objects.filter(version__plan__case=OuterRef("pk"))),
            cohort_ids=_id_list(CohortMember.objects.filter(case=OuterRef("pk")), "cohort_id"),
        )
    )
    if not cases:
        return []
    ids = [c.pk for c in cases]
    paths = {
        c.pk: CasePath(case=c, steps=steps_for(c), now_words=str(STAGE_WORDS.get(c.state, ("", ""))[1])) for c in cases
    }

    progress = list(
        ModuleProgress.objects.filter(case_id__in=ids)
        .select_related("module")
        .prefetch_related(
            Prefetch("module__items", queryset=ChecklistItem.objects.order_by("order", "id")),
            Prefetch("checks", queryset=ItemCheck.objects.only("id", "progress_id", "item_id")),
        )
        .order_by("case_id", "module__order", "module_id")
    )
    for p in progress:
        path = paths[p.case_id]
        path.total += 1
        path.approved += p.status == ModuleProgress.Status.APPROVED
        if path.current is None and p.is_workable:
            path.current = p
            ticked = {check.item_id for check in p.checks.all()}
            path.items = [{"item": item, "done": item.pk in ticked} for item in p.module.items.all()]

    # Sessions she is invited to: her individual ones, and her cohorts' group sessions.
    cohorts: dict[int, list[int]] = {}
    for case in cases:
        for cohort_id in _ids(case.cohort_ids):
            cohorts.setdefault(cohort_id, []).append(case.pk)
    upcoming = (
        Session.objects.filter(starts_at__gte=timezone.now())
        .filter(Q(case_id__in=ids) | Q(cohort_id__in=list(cohorts), kind=Session.Kind.GROUP))
        .order_by("starts_at", "id")
    )
    for session in upcoming:
        invited = [session.case_id] if session.case_id in paths else cohorts.get(session.cohort_id, [])
        for case_id in invited:
            if len(paths[case_id].sessions) < 5:
                paths[case_id].sessions.append(session)

    # Her page shows the plan's status and comment count, not its versions.
    for path in paths.values():
        path.plan = getattr(path.case, "business_plan", None)
        if path.plan is not None:
            path.plan_comments = path.case.plan_comment_count
        path.plan_writable = path.case.state in PLAN_STAGES

    # A round shows its kind and whether it is filled in (and links to itself).
    for health_round in (
        Round.objects.filter(case_id__in=ids).only("case", "kind", "taken_at").order_by("case_id", "pk")
    ):
        paths[health_round.case_id].rounds.append(health_round)

    # Each loan with its ledger summed (its balance), without the agreement's PDF.
    loans = Loan.objects.filter(case_id__in=ids).defer("agreement_pdf").order_by("pk")
    for loan in loan_services.with_ledger_sums(loans):
        entry = {"loan": loan, "position": None, "balance": None, "receipts": []}
        if loan.status in (LoanStatus.ACTIVE, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF):
            entry["balance"] = loan_services.ledger_balance_of(loan)
            entry["position"] = loan_services.loan_position(loan, today, credit=entry["balance"]["credit"])
            # A receipt shows its date and amount (and links to itself); `loan` for the loan's related manager.
            entry["receipts"] = list(loan_selectors.receipts(loan).only("loan", "value_date", "amount")[:12])
        paths[loan.case_id].loans.append(entry)
    return [paths[c.pk] for c in cases]


# --- Outcomes after the programme ----------------------------------------------------------------


def check_in_counts(*, programme_id: int | None = None, months: int | None = None) -> dict[str, int]:
    """Sent, answered and not answered check-ins: the non-responses the funder reports count."""
    rows = CheckIn.objects.filter(sent_at__isnull=False)
    if programme_id is not None:
        rows = rows.filter(case__programme_id=programme_id)
    if months is not None:
        rows = rows.filter(months=months)
    counts = rows.aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    counts["not_answered"] = counts["sent"] - counts["answered"]
    return counts
