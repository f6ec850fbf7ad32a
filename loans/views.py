from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors as case_selectors
from coaching.errors import DomainError, NotAllowed
from neem import access
from neem.pdf import render_pdf
from neem.signals import personal_data_accessed

from . import eligibility, selectors, services
from .engine import ScheduleError, build_schedule
from .forms import (
    AcceptForm,
    ApplicationForm,
    CalculatorForm,
    DecisionForm,
    DisburseForm,
    ReasonForm,
    RepaymentForm,
    RescheduleForm,
    VoteForm,
)
from .models import ApplicationStatus, EntryKind, LedgerEntry, LendingPolicy, LoanApplication, LoanStatus
from .payments import services as payment_services


def _run(request, action, success: str) -> bool:
    try:
        action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Products and the calculator ------------------------------------------------------------------------


@login_required
def calculator(request):
    products = selectors.products_visible_to(request.user).filter(active=True)
    if not access.scope_of(request.user).is_staff_member:
        raise PermissionDenied
    form = CalculatorForm(request.GET or None, products=products)
    schedule = error = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = build_schedule(
                data["product"].terms(
                    principal=data["amount"], installments=data["term"], start_date=data["start_date"]
                )
            )
        except ScheduleError as exc:
            error = str(exc)
    return render(
        request,
        "loans/calculator.html",
        {"form": form, "schedule": schedule, "error": error, "products": products},
    )


# --- Applications ---------------------------------------------------------------------------------------


@login_required
def application_new(request, case_pk: int):
    case = case_selectors.case_for_page(request.user, case_pk)
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, programme=case.programme)
    failed = eligibility.failed_gates(case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = None

        def create():
            nonlocal application
            application = services.application_create(by=request.user, case=case, **data)

        if _run(request, create, _("The application was saved as a draft.")):
            return redirect("loans:application_detail", pk=application.pk)
    return render(request, "loans/application_form.html", {"case": case, "form": form, "failed": failed})


@login_required
def application_detail(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    case = application.case
    personal_data_accessed.send(sender=__name__, user=request.user, case=case, action="view_application")
    is_member = case.programme_id in access.scope_of(request.user).committee_programmes
    votes = list(application.votes.select_related("member"))
    my_vote = next((v for v in votes if v.member_id == request.user.pk), None)
    counted, quorum = services.quorum_state(application)
    return render(
        request,
        "loans/application_detail.html",
        {
            "application": application,
            "case": case,
            "can_work": access.can_work_on_case(request.user, case),
            "can_view_case": access.can_view_case(request.user, case),
            "is_member": is_member,
            "votes": votes,
            "my_vote": my_vote,
            "counted": counted,
            "quorum": quorum,
            "vote_form": VoteForm(initial={"choice": my_vote.choice if my_vote else None}),
            "decision_form": DecisionForm(initial={"amount": application.amount, "term": application.term}),
            "evidence": _evidence(application) if is_member or access.can_view_case(request.user, case) else None,
            "loan": getattr(application, "loan", None) if application.is_decided else None,
        },
    )


def _evidence(application) -> dict:
    """What the committee decides on, in one place: plan, sign-offs, hours, health checks, savings."""
    case = application.case
    evidence = {"plan": application.plan_snapshot, "sections": []}
    try:
        from coaching import evidence as coaching_evidence

        evidence["sections"].extend(coaching_evidence.for_case(case))
    except ImportError:
        pass
    try:
        schedule = build_schedule(
            application.product.terms(
                principal=application.amount, installments=application.term, start_date=timezone.localdate()
            )
        )
    except ScheduleError:
        schedule = None
    evidence["schedule"] = schedule
    return evidence


@login_required
@require_POST
def application_submit(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    _run(
        request,
        lambda: services.application_submit(by=request.user, application_id=application.pk),
        _("The application is now before the committee."),
    )
    return redirect("loans:application_detail", pk=application.pk)


@login_required
def committee_queue(request):
    scope = access.scope_of(request.user)
    if not scope.committee_programmes:
        raise PermissionDenied
    decided = (
        selectors.applications_visible_to(request.user)
        .filter(
            case__programme__in=scope.committee_programmes,
            status__in=[
                ApplicationStatus.APPROVED,
                ApplicationStatus.APPROVED_WITH_CHANGES,
                ApplicationStatus.REJECTED,
            ],
        )
        .order_by("-decided_at")[:20]
    )
    meeting_days = sorted({a.decided_at.date() for a in decided if a.decided_at}, reverse=True)
    return render(
        request,
        "loans/committee_queue.html",
        {"applications": selectors.committee_queue(request.user), "decided": decided, "meeting_days": meeting_days},
    )


@login_required
@require_POST
def vote(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if request.POST.get("conflict"):
        _run(
            request,
            lambda: services.vote_cast(by=request.user, application_id=application.pk, conflict=True),
            _("Your conflict of interest is recorded. You will not vote on this application."),
        )
    else:
        form = VoteForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.vote_cast(
                    by=request.user,
                    application_id=application.pk,
                    choice=form.cleaned_data["choice"],
                    comment=form.cleaned_data["comment"],
                ),
                _("Your vote is recorded."),
            )
        else:
            if not _is_member(request.user, application):
                raise PermissionDenied
            messages.error(request, _("Choose how you vote."))
    return redirect("loans:application_detail", pk=application.pk)


def _is_member(user, application) -> bool:
    return application.case.programme_id in access.scope_of(user).committee_programmes


@login_required
@require_POST
def decide(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not _is_member(request.user, application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision is incomplete: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("loans:application_detail", pk=application.pk)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.application_decide(
            by=request.user,
            application_id=application.pk,
            decision=data["decision"],
            reasons=data["reasons"],
            amount=data["amount"],
            term=data["term"],
        ),
        _("The decision is recorded."),
    )
    return redirect("loans:application_detail", pk=application.pk)


@login_required
def minutes(request, day: str):
    scope = access.scope_of(request.user)
    if not (scope.committee_programmes or scope.manager_programmes):
        raise PermissionDenied
    try:
        meeting = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    applications = list(
        LoanApplication.objects.filter(
            case__programme__in=scope.committee_programmes | scope.manager_programmes, decided_at__date=meeting
        )
        .select_related("case__participant", "product", "decided_by")
        .prefetch_related("votes__member")
        .order_by("decided_at")
    )
    if not applications:
        raise Http404
    data = render_pdf("loans/minutes_pdf.html", {"day": meeting, "applications": applications})
    return _pdf_response(data, f"committee-minutes-{meeting}.pdf")


# --- A loan, for staff ----------------------------------------------------------------------------------


@login_required
def loan_detail(request, pk: int):
    loan = selectors.loan_for_staff(request.user, pk)
    user = request.user
    personal_data_accessed.send(sender=__name__, user=user, case=loan.case, action="view_loan")
    position = services.loan_position(loan) if loan.status != LoanStatus.AWAITING_ACCEPTANCE else None
    entries = list(loan.entries.select_related("created_by").order_by("value_date", "id"))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    quote = services.payoff_quote(loan)[0] if loan.status == LoanStatus.ACTIVE else None
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "case": loan.case,
            "position": position,
            "entries": entries,
            "reversed_ids": reversed_ids,
            "balance": services.ledger_balance(loan),
            "preview": services.preview_schedule(loan)
            if loan.status in (LoanStatus.AWAITING_ACCEPTANCE, LoanStatus.ACCEPTED)
            else None,
            "can_money": services._can_handle_money(user, loan),
            "can_disburse": access.can_assign_case(user, loan.case),
            "can_write_off": loan.case.programme_id in access.scope_of(user).manager_programmes,
            "quote": quote,
            "disburse_form": DisburseForm(),
            "repayment_form": RepaymentForm(),
            "reschedule_form": RescheduleForm(initial={"term": loan.term}),
            "reason_form": ReasonForm(),
            "reschedules": loan.reschedules.select_related("approved_by"),
            "policy": LendingPolicy.for_programme(loan.case.programme),
        },
    )


def _loan_post(request, pk: int, form_class, action, success: str):
    loan = selectors.loan_for_staff(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        _run(request, lambda: action(loan, form.cleaned_data), success)
    else:
        messages.error(
            request, _("Please correct: %(errors)s. Nothing was changed.") % {"errors": form.errors.as_text()}
        )
    return redirect("loans:loan_detail", pk=loan.pk)


@login_required
@require_POST
def disburse(request, pk: int):
    return _loan_post(
        request,
        pk,
        DisburseForm,
        lambda loan, d: services.loan_disburse(
            by=request.user, loan_id=loan.pk, on=d["on"], method=d["method"], reference=d["reference"]
        ),
        _("The payout is recorded and the schedule is fixed."),
    )


@login_required
@require_POST
def repay(request, pk: int):
    return _loan_post(
        request,
        pk,
        RepaymentForm,
        lambda loan, d: services.repayment_record(
            by=request.user,
            loan_id=loan.pk,
            amount=d["amount"],
            on=d["on"],
            method=d["method"],
            external_reference=d["reference"],
        ),
        _("The repayment is recorded."),
    )


@login_required
@require_POST
def payoff(request, pk: int):
    return _loan_post(
        request,
        pk,
        RepaymentForm,
        lambda loan, d: services.early_payoff(
            by=request.user, loan_id=loan.pk, on=d["on"], method=d["method"], external_reference=d["reference"] or None
        ),
        _("The loan is paid off."),
    )


@login_required
@require_POST
def reschedule(request, pk: int):
    return _loan_post(
        request,
        pk,
        RescheduleForm,
        lambda loan, d: services.loan_reschedule(
            by=request.user, loan_id=loan.pk, term=d["term"], start_date=d["start_date"], reason=d["reason"]
        ),
        _("The new schedule is approved."),
    )


@login_required
@require_POST
def write_off(request, pk: int):
    return _loan_post(
        request,
        pk,
        ReasonForm,
        lambda loan, d: services.loan_write_off(by=request.user, loan_id=loan.pk, reason=d["reason"]),
        _("The loan is written off."),
    )


@login_required
@require_POST
def recovery(request, pk: int):
    return _loan_post(
        request,
        pk,
        RepaymentForm,
        lambda loan, d: services.recovery_record(
            by=request.user,
            loan_id=loan.pk,
            amount=d["amount"],
            on=d["on"],
            method=d["method"],
            external_reference=d["reference"] or None,
        ),
        _("The recovery is recorded."),
    )


@login_required
@require_POST
def reverse(request, pk: int, entry_pk: int):
    loan = selectors.loan_for_staff(request.user, pk)
    entry = get_object_or_404(loan.entries, pk=entry_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the reversal."))
    else:
        _run(
            request,
            lambda: services.repayment_reverse(by=request.user, entry_id=entry.pk, reason=form.cleaned_data["reason"]),
            _("The repayment was reversed."),
        )
    return redirect("loans:loan_detail", pk=loan.pk)


# --- Documents: receipts and the agreement --------------------------------------------------------------


def _loan_for_document(user, pk: int):
    """Staff who can see the case, or the borrower herself."""
    participant = getattr(user, "participant", None)
    if participant is not None and selectors.Loan.objects.filter(pk=pk, case__participant=participant).exists():
        return selectors.loan_for_borrower(user, pk)
    return selectors.loan_for_staff(user, pk)


@login_required
def receipt(request, pk: int, entry_pk: int):
    loan = _loan_for_document(request.user, pk)
    entry = get_object_or_404(
        LedgerEntry.objects.select_related("created_by"), pk=entry_pk, loan=loan, kind=EntryKind.REPAYMENT
    )
    language = loan.case.participant.preferred_language
    data = render_pdf(
        "loans/receipt_pdf.html",
        {
            "loan": loan,
            "entry": entry,
            "allocations": entry.allocations.select_related("instalment"),
            "balance": services.ledger_balance(loan),
        },
        language=language,
    )
    return _pdf_response(data, f"receipt-{loan.pk}-{entry.pk}.pdf")


def _agreement_context(loan) -> dict:
    schedule = services.preview_schedule(loan, start_date=loan.disbursed_on or timezone.localdate())
    return {"loan": loan, "participant": loan.case.participant, "schedule": schedule, "today": timezone.localdate()}


@login_required
def agreement_pdf(request, pk: int):
    loan = _loan_for_document(request.user, pk)
    if loan.agreement_pdf:
        return _pdf_response(bytes(loan.agreement_pdf), f"loan-agreement-{loan.pk}.pdf")
    data = render_pdf(
        "loans/agreement_pdf.html", _agreement_context(loan), language=loan.case.participant.preferred_language
    )
    return _pdf_response(data, f"loan-agreement-{loan.pk}-draft.pdf")


# --- The borrower's own pages ---------------------------------------------------------------------------


@login_required
def my_loan(request, pk: int):
    loan = selectors.loan_for_borrower(request.user, pk)
    position = (
        services.loan_position(loan)
        if loan.status in (LoanStatus.ACTIVE, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF)
        else None
    )
    return render(
        request,
        "loans/my_loan.html",
        {
            "loan": loan,
            "position": position,
            "receipts": selectors.receipts(loan),
            "balance": services.ledger_balance(loan),
            "online": payment_services.borrower_panel(loan),
        },
    )


@login_required
def my_agreement(request, pk: int):
    loan = selectors.loan_for_borrower(request.user, pk)
    context = _agreement_context(loan)
    form = AcceptForm(request.POST or None)
    if request.method == "POST":
        if loan.status != LoanStatus.AWAITING_ACCEPTANCE:
            messages.info(request, _("You have already accepted this agreement."))
            return redirect("loans:my_loan", pk=loan.pk)
        if form.is_valid():
            pdf = render_pdf("loans/agreement_pdf.html", context, language=loan.case.participant.preferred_language)
            if _run(
                request,
                lambda: services.agreement_accept(
                    by=request.user, loan_id=loan.pk, password=form.cleaned_data["password"], pdf_bytes=pdf
                ),
                _("Thank you. You have accepted the agreement. Your adviser will tell you when the money is paid out."),
            ):
                return redirect("loans:my_loan", pk=loan.pk)
    return render(request, "loans/my_agreement.html", {**context, "form": form})
