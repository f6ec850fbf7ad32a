"""Pages for bank transfers and accounting: the programme's managers only; thin, over the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.errors import DomainError, NotAllowed

from . import accounting, selectors, services
from .forms import AssignForm, ImportForm, PaymentFileForm, PayoutAccountForm, PeriodForm, RejectForm
from .models import LineStatus

QUEUE_PAGE = 100


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


def _download(data, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def statement_list(request):
    statements = selectors.statements_for(request.user)[:100]
    return render(
        request,
        "banking/statement_list.html",
        {"statements": statements, "waiting": selectors.queue_for(request.user).count()},
    )


@login_required
def statement_import(request):
    programmes = selectors.managed_programmes(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.statement_import(
                by=request.user,
                programme=form.cleaned_data["programme"],
                data=upload.read(),
                file_name=upload.name,
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if not result.created:
                messages.info(
                    request,
                    _("This file was already imported on %(day)s. Nothing was changed.")
                    % {"day": result.statement.imported_at.date().isoformat()},
                )
            else:
                c = result.counts
                messages.success(
                    request,
                    _(
                        "Statement imported: %(matched)s applied by reference, %(payout)s payouts confirmed, "
                        "%(waiting)s waiting in the queue, %(duplicate)s already imported, %(other)s other."
                    )
                    % {
                        "matched": c.get(LineStatus.MATCHED, 0),
                        "payout": c.get(LineStatus.PAYOUT, 0),
                        "waiting": c.get(LineStatus.WAITING, 0),
                        "duplicate": c.get(LineStatus.DUPLICATE, 0),
                        "other": c.get(LineStatus.OTHER, 0),
                    },
                )
            return redirect("banking:statement_detail", pk=result.statement.pk)
    return render(request, "banking/statement_import.html", {"form": form})


@login_required
def statement_detail(request, pk: int):
    statement = selectors.statement_for(request.user, pk)
    return render(
        request,
        "banking/statement_detail.html",
        {"statement": statement, "lines": selectors.statement_lines(statement)},
    )


@login_required
def queue(request):
    lines = list(selectors.queue_for(request.user)[:QUEUE_PAGE])
    return render(
        request,
        "banking/queue.html",
        {
            "lines": lines,
            "loans": list(selectors.loans_to_assign(request.user)) if lines else [],
            "decided": selectors.decided_for(request.user)[:30],
        },
    )


@login_required
@require_POST
def line_assign(request, pk: int):
    line = selectors.line_for(request.user, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a loan and say why. Nothing was changed."))
    else:
        _run(
            request,
            lambda: services.line_assign(
                by=request.user, line_id=line.pk, loan_id=form.cleaned_data["loan"], note=form.cleaned_data["note"]
            ),
            _("The payment is recorded on the loan."),
        )
    return redirect("banking:queue")


@login_required
@require_POST
def line_reject(request, pk: int):
    line = selectors.line_for(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the line is rejected. Nothing was changed."))
    else:
        _run(
            request,
            lambda: services.line_reject(by=request.user, line_id=line.pk, note=form.cleaned_data["note"]),
            _("The line is rejected and out of the queue."),
        )
    return redirect("banking:queue")


@login_required
def payouts(request):
    programmes = selectors.managed_programmes(request.user)
    loans = list(selectors.awaiting_payout(request.user))
    form = PaymentFileForm(request.POST or None, programmes=programmes, loans=loans)
    if request.method == "POST" and form.is_valid():
        created = None

        def create():
            nonlocal created
            created = services.payment_file_create(
                by=request.user,
                programme=form.cleaned_data["programme"],
                loan_ids=form.cleaned_data["loans"],
                execution_date=form.cleaned_data["execution_date"],
            )

        if _run(request, create, _("The payment file is ready: download it and upload it to the bank.")):
            return redirect("banking:payouts")
    return render(
        request,
        "banking/payouts.html",
        {
            "form": form,
            "loans": loans,
            "account_form": PayoutAccountForm(),
            "files": selectors.payment_files_for(request.user)[:30],
        },
    )


@login_required
@require_POST
def payout_account(request, pk: int):
    loan = selectors.loan_awaiting_payout(request.user, pk)
    form = PayoutAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the account holder and the IBAN. Nothing was changed."))
    else:
        _run(
            request,
            lambda: services.payout_account_set(by=request.user, loan_id=loan.pk, **form.cleaned_data),
            _("The payout account is recorded."),
        )
    return redirect("banking:payouts")


@login_required
def payment_file_download(request, pk: int):
    payment_file = selectors.payment_file_for(request.user, pk)
    return _download(payment_file.xml.encode("utf-8"), "application/xml", f"{payment_file.message_id}.xml")


@login_required
def ledger_export(request):
    programmes = selectors.managed_programmes(request.user)
    form = PeriodForm(request.GET or None, programmes=programmes)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        programme, start, end = data["programme"], data["start"], data["end"]
        name = f"{programme.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
        if data["format"] == "sie":
            return _download(
                accounting.sie4(programme, start=start, end=end, by=request.user),
                "text/plain; charset=IBM437",
                f"{name}.se",
            )
        return _download(
            accounting.ledger_csv(programme, start=start, end=end), "text/csv; charset=utf-8", f"{name}.csv"
        )
    return render(request, "banking/ledger_export.html", {"form": form})
