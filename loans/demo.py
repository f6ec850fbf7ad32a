"""Demo lending: two products, a borrower with an active loan in arrears, applications before the committee."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coaching import services as case_services
from coaching.models import CaseEvent, CaseFile, Participant, Stage

from . import eligibility, services
from .models import Instalment, LendingPolicy, Loan, LoanApplication, LoanProduct


def seed(*, programme, staff: dict, make_user, password: str) -> None:
    LendingPolicy.objects.get_or_create(programme=programme, defaults={"quorum": 2, "arrears_action_days": 7})
    free, _ = LoanProduct.objects.get_or_create(
        programme=programme,
        name="Interest-free start loan",
        defaults={
            "min_amount": Decimal("5000"),
            "max_amount": Decimal("50000"),
            "annual_rate": Decimal("0"),
            "min_term": 6,
            "max_term": 24,
            "frequency": LoanProduct.Frequency.MONTHLY,
            "interest_method": LoanProduct.InterestMethod.FLAT,
            "amortization": LoanProduct.Amortization.EQUAL_INSTALLMENTS,
            "installment_multiples_of": 1,
            "penalty_kind": LoanProduct.PenaltyKind.NONE,
        },
    )
    growth, _ = LoanProduct.objects.get_or_create(
        programme=programme,
        name="Microloan, declining balance",
        defaults={
            "min_amount": Decimal("10000"),
            "max_amount": Decimal("150000"),
            "annual_rate": Decimal("6.5"),
            "min_term": 6,
            "max_term": 36,
            "frequency": LoanProduct.Frequency.MONTHLY,
            "interest_method": LoanProduct.InterestMethod.DECLINING,
            "amortization": LoanProduct.Amortization.EQUAL_INSTALLMENTS,
            "fee_flat": Decimal("250"),
            "penalty_kind": LoanProduct.PenaltyKind.FLAT,
            "penalty_value": Decimal("100"),
            "penalty_grace_days": 10,
        },
    )
    if Loan.objects.filter(case__programme=programme).exists():
        return
    lead = staff["lead.stockholm@example.com"]
    adviser = staff["adviser.stockholm@example.com"]
    committee = [staff["committee@example.com"], staff["committee2@example.com"]]
    today = timezone.localdate()

    # The borrower (her case was opened by borrower_case()): paid out 100 days ago, two instalments paid,
    # the third overdue.
    borrower = make_user("borrower@example.com", "Hodan", "Ali")
    case = CaseFile.objects.get(programme=programme, participant__email="borrower@example.com")
    application = services.application_create(
        by=adviser,
        case=case,
        product=growth,
        amount=Decimal("40000"),
        term=12,
        purpose="A professional oven and a market stall for her Somali bakery.",
        assessment="Hodan has baked for catering clients for two years. The budget shows a positive cash flow "
        "from month three; the oven doubles her capacity. Recommended.",
    )
    _through_committee(application, committee, reasons="A sound plan with proven demand.")
    loan = Loan.objects.get(application=application)
    services.agreement_accept(by=borrower, loan_id=loan.pk, password=password, pdf_bytes=_agreement_pdf(loan))
    paid_out = today - timedelta(days=100)
    services.loan_disburse(by=lead, loan_id=loan.pk, on=paid_out, method="bank transfer", reference="PAYOUT-2026-017")
    for number, late in ((1, 0), (2, 3)):
        inst = Instalment.objects.get(loan=loan, number=number, active=True)
        services.repayment_record(
            by=adviser,
            loan_id=loan.pk,
            amount=inst.total,
            on=inst.due_date + timedelta(days=late),
            method="bank transfer",
            external_reference=f"BG-{loan.pk}-{number}",
        )
    services.arrears_follow_up(loan, as_of=today)
    case_services.case_transition(
        case_id=case.pk, by=adviser, name="start_follow_up", note="Loan paid out; follow-up visits monthly."
    )

    # Applications waiting for the committee, one with a vote already cast.
    waiting = list(
        CaseFile.objects.filter(programme=programme, state=Stage.LOAN, adviser__isnull=False)
        .exclude(pk=case.pk)
        .select_related("adviser")[:2]
    )
    for index, other in enumerate(waiting):
        if eligibility.failed_gates(other):
            continue  # a gate this demo case does not pass yet
        app = services.application_create(
            by=other.adviser,
            case=other,
            product=free if index == 0 else growth,
            amount=Decimal("25000") if index == 0 else Decimal("60000"),
            term=18 if index == 0 else 24,
            purpose="Sewing machines and fabric for a tailoring workshop."
            if index == 0
            else "Kitchen equipment for a catering company.",
            assessment="Motivated, completed every module; the budget is realistic.",
        )
        services.application_submit(by=other.adviser, application_id=app.pk)
        if index == 0:
            services.vote_cast(by=committee[1], application_id=app.pk, choice="approve", comment="Good plan.")


def borrower_case(*, programme, staff: dict, make_user):
    """Open the demo borrower's case early, so the curriculum and plan seeds treat her like the others."""
    borrower = make_user("borrower@example.com", "Hodan", "Ali")
    stockholm = programme.regions.get(slug="stockholm")
    person, _ = Participant.objects.get_or_create(
        email="borrower@example.com",
        defaults={
            "user": borrower,
            "first_name": "Hodan",
            "last_name": "Ali",
            "phone": "+46701239876",
            "gender": "woman",
            "country_of_birth": "Somalia",
            "foreign_background": True,
            "residence_permit": "permanent",
            "languages": "somali, svenska",
            "preferred_language": "sv",
            "referral_source": "employment_service",
            "consent_given_at": timezone.now() - timedelta(days=300),
            "consent_text_version": "1",
        },
    )
    case, created = CaseFile.objects.get_or_create(
        participant=person,
        programme=programme,
        defaults={
            "region": stockholm,
            "adviser": staff["adviser.stockholm@example.com"],
            "state": Stage.LOAN,
            "opened_at": timezone.now() - timedelta(days=260),
        },
    )
    if created:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OPENED,
            to_state=Stage.MOBILISED,
            at=case.opened_at,
            actor=staff["adviser.stockholm@example.com"],
        )
        steps = [
            ("mobilised", "intake"),
            ("intake", "coaching"),
            ("coaching", "business_plan"),
            ("business_plan", "loan"),
        ]
        for n, (before, after) in enumerate(steps, start=1):
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.TRANSITION,
                from_state=before,
                to_state=after,
                at=case.opened_at + timedelta(days=35 * n),
                actor=staff["adviser.stockholm@example.com"],
            )
    return case


def _through_committee(application: LoanApplication, committee, *, reasons: str) -> None:
    services.application_submit(by=application.created_by, application_id=application.pk)
    for member in committee:
        services.vote_cast(by=member, application_id=application.pk, choice="approve")
    services.application_decide(by=committee[0], application_id=application.pk, decision="approved", reasons=reasons)


def _agreement_pdf(loan) -> bytes:
    from neem.pdf import render_pdf

    schedule = services.preview_schedule(loan)
    return render_pdf(
        "loans/agreement_pdf.html",
        {"loan": loan, "participant": loan.case.participant, "schedule": schedule, "today": timezone.localdate()},
        language=loan.case.participant.preferred_language,
    )
