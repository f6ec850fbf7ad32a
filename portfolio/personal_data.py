"""Her savings, credit statements and follow-up visits (see privacy.registry).

Savings entries are an immutable ledger like the loans': kept under the pseudonym, only her words in their notes
are replaced.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.erasure import scrub_model
from privacy.registry import register_eraser, register_exporter

from .models import CreditStatement, FollowUpVisit, SavingsEntry, SavingsMeeting, SavingsMember


def export(participant, cases):
    return {
        "savings_groups": [
            {"group": m.group.name, "joined_on": m.joined_on, "loan_need": m.loan_need}
            for m in SavingsMember.objects.filter(case__in=cases).select_related("group")
        ],
        "savings": list(
            SavingsEntry.objects.filter(case__in=cases).order_by("date", "id").values("date", "kind", "amount", "note")
        ),
        "credit_statements": list(
            CreditStatement.objects.filter(participant=participant).values("issued_at", "language", "revoked_at")
        ),
        "follow_up_visits": list(
            FollowUpVisit.objects.filter(case__in=cases).values(
                "date", "turnover", "profit", "employees", "household_income", "company_status", "note"
            )
        ),
    }


def erase(context) -> int:
    groups = SavingsMember.objects.filter(case_id__in=context.case_ids).values_list("group_id", flat=True)
    return (
        scrub_model(context, SavingsEntry, fields=["note", "reference"])
        + scrub_model(context, SavingsMeeting, lookup="group_id__in", keys=list(groups))
        + scrub_model(context, FollowUpVisit)
    )


register_exporter("portfolio", export, title=_("Savings, statements and follow-up visits"), order=60)
register_eraser("portfolio", erase)
