"""Pages for online repayments: the borrower pays, Stripe reports, managers reconcile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from coaching.errors import DomainError, NotAllowed
from neem import access
from neem.csp import allow_stripe

from .. import selectors
from .. import services as loan_services
from ..models import LoanStatus
from . import services, stripe_api
from .forms import PayForm, RangeForm, ResolveForm
from .models import OnlinePayment


def _pay_context(loan):
    """What the borrower owes now, rounded up to what a card can pay in her currency."""
    position = loan_services.loan_position(loan)
    nxt = position.next_instalment
    next_amount = services.round_up_for_card(nxt.total_outstanding, loan.currency) if nxt else None
    most = services.round_up_for_card(max(position.outstanding, 0), loan.currency)
    return nxt, next_amount, most


@login_required
def pay(request, pk: int):
    loan = selectors.loan_for_borrower(request.user, pk)
    available = services.online_payment_available() and loan.status == LoanStatus.ACTIVE
    if not available:
        return render(request, "loans/pay.html", {"loan": loan, "available": False})
    nxt, next_amount, most = _pay_context(loan)
    kwargs = {"currency": loan.currency, "next_amount": next_amount, "most": most}
    if request.method == "POST":
        form = PayForm(request.POST, **kwargs)
        if form.is_valid():
            amount = form.cleaned_data["amount"]
            try:
                payment = services.payment_start(
                    by=request.user,
                    loan=loan,
                    amount=amount,
                    instalment_number=nxt.number if nxt and form.cleaned_data["choice"] == PayForm.NEXT else None,
                    nonce=form.cleaned_data["nonce"],
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("loans:pay_card", pk=loan.pk, payment_pk=payment.pk)
    else:
        form = PayForm(initial={"nonce": services.new_nonce()}, **kwargs)
    return render(request, "loans/pay.html", {"loan": loan, "available": True, "form": form, "next": nxt})


@login_required
@require_GET
def pay_card(request, pk: int, payment_pk: int):
    loan = selectors.loan_for_borrower(request.user, pk)
    payment = get_object_or_404(OnlinePayment, pk=payment_pk, loan=loan)
    client_secret = intent_status = ""
    if payment.status in (OnlinePayment.Status.CREATED, OnlinePayment.Status.FAILED):
        try:
            intent = stripe_api.retrieve_payment_intent(payment.payment_intent_id)
        except stripe_api.StripeUnavailable:
            intent = None
        intent_status = intent.status if intent else ""
        if intent and intent.status in ("requires_payment_method", "requires_confirmation", "requires_action"):
            client_secret = intent.client_secret
    # Only this page loads Stripe.js, so only its Content-Security-Policy names Stripe's origin.
    return allow_stripe(
        render(
            request,
            "loans/pay_card.html",
            {
                "loan": loan,
                "payment": payment,
                "client_secret": client_secret,
                "intent_status": intent_status,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "stripe_js_url": settings.STRIPE_JS_URL,
            },
        )
    )


@login_required
@require_GET
def pay_status(request, pk: int, payment_pk: int):
    """Polled by pay.js after the card step, until the webhook has recorded the payment."""
    loan = selectors.loan_for_borrower(request.user, pk)
    payment = get_object_or_404(OnlinePayment, pk=payment_pk, loan=loan)
    return JsonResponse(
        {
            "status": payment.status,
            "recorded": payment.entry_id is not None,
            "message": payment.failure_message if payment.status == OnlinePayment.Status.FAILED else "",
        }
    )


@csrf_exempt
@require_POST
def webhook(request):
    answer = services.webhook_receive(payload=request.body, sig_header=request.headers.get("Stripe-Signature"))
    return HttpResponse(answer.result, status=answer.status, content_type="text/plain; charset=utf-8")


def _manager_programmes(user):
    programmes = access.scope_of(user).manager_programmes
    if not programmes:
        raise PermissionDenied
    return programmes


@login_required
def reconciliation(request):
    programmes = _manager_programmes(request.user)
    form = RangeForm.from_query(request.GET)
    result = error = None
    if form.is_valid():
        try:
            result = services.reconcile(
                start=form.cleaned_data["start"], end=form.cleaned_data["end"], programmes=programmes
            )
        except stripe_api.StripeUnavailable as exc:
            error = _("Stripe could not be reached: %(why)s") % {"why": exc}
    return render(
        request,
        "loans/reconciliation.html",
        {"form": form, "result": result, "error": error, "configured": services.online_payment_available()},
    )


@login_required
def flags(request):
    _manager_programmes(request.user)
    payments = services.flagged_payments(request.user)
    return render(
        request,
        "loans/payment_flags.html",
        {
            "open": [p for p in payments if p.needs_manager],
            "resolved": [p for p in payments if not p.needs_manager][:50],
            "form": ResolveForm(),
        },
    )


@login_required
@require_POST
def flag_resolve(request, payment_pk: int):
    _manager_programmes(request.user)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
        return redirect("loans:payment_flags")
    try:
        services.flag_resolve(by=request.user, payment_id=payment_pk, note=form.cleaned_data["note"])
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as dealt with."))
    return redirect("loans:payment_flags")
