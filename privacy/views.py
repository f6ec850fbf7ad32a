"""The case's personal-data page (consents, export, erasure), the access log, and her own data export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors as case_selectors
from coaching.errors import DomainError, NotAllowed
from neem import access

from . import selectors, services
from .forms import ConsentForm, ErasureForm
from .models import ConsentRecord


def _may_open(user, case) -> bool:
    return (
        access.can_work_on_case(user, case)
        or access.can_export_personal_data(user, case)
        or access.can_erase_personal_data(user, case)
    )


def _case(request, pk: int):
    case = case_selectors.case_for_page(request.user, pk)  # 404 for strangers
    if not _may_open(request.user, case):
        raise PermissionDenied
    return case


def case_privacy_context(request, case, *, consent_form=None, erasure_form=None) -> dict:
    user = request.user
    participant = case.participant
    return {
        "case": case,
        "participant": participant,
        "erasure": getattr(participant, "erasure", None),
        "consents": selectors.consents_of(participant),
        "can_work": access.can_work_on_case(user, case),
        "can_export": access.can_export_personal_data(user, case),
        "can_erase": access.can_erase_personal_data(user, case),
        "blockers": services.erasure_blockers(participant),
        "consent_form": consent_form or ConsentForm(texts=selectors.consent_texts_for(case)),
        "erasure_form": erasure_form or ErasureForm(),
    }


@login_required
def case_privacy(request, pk: int):
    case = _case(request, pk)
    return render(request, "privacy/case_privacy.html", case_privacy_context(request, case))


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request, case, kind: str) -> HttpResponse:
    try:
        if kind == "json":
            content = services.export_json(case=case, by=request.user)
        else:
            content = services.export_pdf(case=case, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    name = f"personal-data-{case.participant_id}.{kind}"
    return _download(content, content_type="application/json" if kind == "json" else "application/pdf", filename=name)


@login_required
def export_json(request, pk: int):
    return _export(request, _case(request, pk), "json")


@login_required
def export_pdf(request, pk: int):
    return _export(request, _case(request, pk), "pdf")


@login_required
@require_POST
def erase(request, pk: int):
    case = _case(request, pk)
    if not access.can_erase_personal_data(request.user, case):
        raise PermissionDenied
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            erasure = services.participant_erase(
                participant=case.participant,
                by=request.user,
                reason=form.cleaned_data["reason"],
                confirm=form.cleaned_data["confirm"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Her personal data is erased. She is now %(pseudonym)s.") % {"pseudonym": erasure.pseudonym}
            )
            return redirect("privacy:case_privacy", pk=case.pk)
    case = case_selectors.case_for_page(request.user, pk)
    return render(
        request, "privacy/case_privacy.html", case_privacy_context(request, case, erasure_form=form), status=400
    )


@login_required
@require_POST
def consent_add(request, pk: int):
    case = _case(request, pk)
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    form = ConsentForm(request.POST, texts=selectors.consent_texts_for(case))
    if form.is_valid():
        try:
            services.consent_record(participant=case.participant, text=form.cleaned_data["text"], by=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("Her consent is recorded."))
        return redirect("privacy:case_privacy", pk=case.pk)
    return render(
        request, "privacy/case_privacy.html", case_privacy_context(request, case, consent_form=form), status=400
    )


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    case = _case(request, pk)
    record = get_object_or_404(
        ConsentRecord.objects.select_related("text", "participant"), pk=consent_pk, participant_id=case.participant_id
    )
    try:
        services.consent_withdraw(record=record, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("The consent is withdrawn."))
    return redirect("privacy:case_privacy", pk=case.pk)


@login_required
def access_log(request):
    if not access.scope_of(request.user).manager_programmes:
        raise PermissionDenied
    page = Paginator(selectors.access_log_for(request.user), getattr(settings, "NEEM_ACCESS_LOG_PAGE_SIZE", 100))
    return render(request, "privacy/access_log.html", {"page": page.get_page(request.GET.get("page"))})


def _own_case(request):
    participant = getattr(request.user, "participant", None)
    case = participant.cases.select_related("participant").first() if participant is not None else None
    if case is None:
        raise Http404
    return case


@login_required
def my_data_json(request):
    return _export(request, _own_case(request), "json")


@login_required
def my_data_pdf(request):
    return _export(request, _own_case(request), "pdf")
