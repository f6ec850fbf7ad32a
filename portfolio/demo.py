"""Demo data: a savings group in Örebro, follow-up visits, and a credit statement for the demo borrower.

Safe to run again: everything is looked up first or carries a unique reference.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coaching.models import CaseFile, Participant, Stage

from . import services
from .models import CreditStatement, FollowUpVisit, SavingsGroup, SavingsMember

NEEDS = [Decimal("30000"), Decimal("24000"), Decimal("45000"), Decimal("18000")]
# Per member, per meeting: the first member is past a third of her own need (10 000 of 30 000).
SAVINGS = [(4000, 3500, 3000), (1500, 1500, 1000), (2000, 2500, 2000), (1000, 500, 1000)]


def seed(*, programme, staff: dict, stdout=None, verify_url: str = "http://127.0.0.1:8000/verify/") -> None:
    today = timezone.localdate()
    adviser = staff["adviser.orebro@example.com"]
    orebro = programme.regions.get(slug="orebro")
    group, _created = SavingsGroup.objects.get_or_create(
        programme=programme, region=orebro, name="Örebro spargrupp", defaults={"cohort": "Vår 2026"}
    )
    cases = list(
        CaseFile.objects.filter(
            programme=programme, region=orebro, state__in=[Stage.COACHING, Stage.BUSINESS_PLAN, Stage.LOAN]
        )
        .select_related("participant")
        .order_by("pk")[: len(NEEDS)]
    )
    for case, need in zip(cases, NEEDS, strict=False):
        if not SavingsMember.objects.filter(group=group, case=case).exists():
            services.savings_member_add(by=adviser, group_id=group.pk, case=case, loan_need=need)
    members = list(group.members.order_by("pk"))
    if not group.meetings.exists():
        for index, days_ago in enumerate((60, 30, 2)):
            on = today - timedelta(days=days_ago)
            services.meeting_record(
                by=adviser,
                group_id=group.pk,
                on=on,
                note=["Started the group; agreed a monthly amount.", "Visit from the bank.", "Budget workshop."][index],
                attended=members[: len(members) - (index % 2)],
            )
    for m_index, member in enumerate(members):
        for meeting_index, days_ago in enumerate((60, 30, 2)):
            amount = SAVINGS[m_index % len(SAVINGS)][meeting_index]
            services.savings_contribute(
                by=adviser,
                group_id=group.pk,
                case_id=member.case_id,
                amount=Decimal(amount),
                on=today - timedelta(days=days_ago),
                reference=f"DEMO-SAV-{group.pk}-{member.case_id}-{meeting_index}",
            )

    # Follow-up visits: the demo borrower and a couple of cases in follow-up.
    borrower = Participant.objects.filter(email="borrower@example.com").first()
    follow_cases = list(
        CaseFile.objects.filter(programme=programme, state=Stage.FOLLOW_UP)
        .exclude(participant=borrower)
        .select_related("participant", "adviser", "region")
        .order_by("pk")[:2]
    )
    if borrower:
        follow_cases = list(borrower.cases.filter(programme=programme).select_related("adviser")) + follow_cases
    for case in follow_cases:
        if case.follow_up_visits.exists() or not case.adviser:
            continue
        baseline = case.participant.household_income
        if baseline is None:
            baseline = Decimal("11000")
            Participant.objects.filter(pk=case.participant_id).update(household_income=baseline)
        for days_ago, turnover, profit, employees, rise in ((75, 22000, 3000, 0, 800), (10, 31000, 5200, 1, 2600)):
            services.follow_up_record(
                by=case.adviser,
                case_id=case.pk,
                on=today - timedelta(days=days_ago),
                company_status="running",
                turnover=Decimal(turnover),
                profit=Decimal(profit),
                employees=employees,
                household_income=baseline + rise,
                note="Demo visit: the books are in order; new customers through the market stall.",
            )
    visits = FollowUpVisit.objects.filter(case__in=follow_cases).count()

    if borrower and not CreditStatement.objects.filter(participant=borrower).exists():
        borrower_case = borrower.cases.filter(programme=programme).select_related("adviser").first()
        if borrower_case and borrower_case.adviser:
            services.statement_issue(by=borrower_case.adviser, participant=borrower, verify_url=verify_url)
    if stdout:
        stdout.write(
            f"Savings group {group.name}: {len(members)} members; {visits} follow-up visits; "
            f"{CreditStatement.objects.filter(participant=borrower).count() if borrower else 0} credit statement(s)."
        )
