"""Her loans, for her data export and her erasure (see privacy.registry).

Erasure keeps every amount, date and ledger entry (bookkeeping law): the loan stays under her pseudonym. Her words
are replaced in the free text (purpose, assessment, reasons, notes, Stripe's payloads); the agreement PDF, which
names her, is removed and its SHA-256 kept as the proof of what was signed. A loan still running blocks erasure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.erasure import scrub_model
from privacy.registry import register_blocker, register_eraser, register_exporter

from .models import LedgerEntry, Loan, LoanApplication, LoanStatus, Reschedule, Vote
from .payments.models import OnlinePayment, StripeEvent

RUNNING = [LoanStatus.AWAITING_ACCEPTANCE, LoanStatus.ACCEPTED, LoanStatus.ACTIVE]


def export(participant, cases):
    result = []
    for application in LoanApplication.objects.filter(case__in=cases).select_related("product"):
        item = {
            "product": application.product.name,
            "amount_asked": application.amount,
            "term": application.term,
            "purpose": application.purpose,
            "status": application.get_status_display(),
            "decided_at": application.decided_at,
            "approved_amount": application.approved_amount,
            "decision_reasons": application.decision_reasons,
        }
        loan = Loan.objects.filter(application=application).first()
        if loan is not None:
            item["loan"] = {
                "principal": loan.principal,
                "currency": loan.currency,
                "status": loan.get_status_display(),
                "accepted_at": loan.accepted_at,
                "disbursed_on": loan.disbursed_on,
                "closed_on": loan.closed_on,
                "schedule": list(
                    loan.instalments.filter(active=True)
                    .order_by("number")
                    .values("number", "due_date", "principal", "interest", "fee", "penalty")
                ),
                "ledger": list(
                    LedgerEntry.objects.filter(loan=loan).values(
                        "value_date", "kind", "amount", "principal", "interest", "fee", "penalty", "credit", "method"
                    )
                ),
            }
        result.append(item)
    return result


def blocker(participant):
    if Loan.objects.filter(case__participant=participant, status__in=RUNNING).exists():
        return [_("She has a loan that is not yet repaid or written off: it must be settled first.")]
    return []


def erase(context) -> int:
    changed = scrub_model(context, LoanApplication)
    changed += scrub_model(context, Vote, lookup="application__case_id__in")
    changed += scrub_model(context, Loan)
    changed += Loan._base_manager.filter(case_id__in=context.case_ids, agreement_pdf__isnull=False).update(
        agreement_pdf=None
    )
    changed += scrub_model(context, LedgerEntry, lookup="loan__case_id__in", fields=["note", "method"])
    changed += scrub_model(context, Reschedule, lookup="loan__case_id__in")
    changed += scrub_model(context, OnlinePayment, lookup="loan__case_id__in")
    changed += context.scrub_rows(StripeEvent.objects.all(), ["payload", "result"])
    return changed


register_exporter("loans", export, title=_("Loans"), order=50)
register_eraser("loans", erase)
register_blocker("loans", blocker)
