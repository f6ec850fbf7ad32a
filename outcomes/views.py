"""Thin views: read the lens and filters, call the selectors and services, render."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from neem.params import positive_int
from neem.pdf import render_pdf
from perf import figcache

from . import exports, services
from .figures import AT_RISK_SHARE, CEILING_SLACK, SUPPRESS_BELOW
from .forms import FiltersForm, IndicatorForm, MappingForm, UploadForm
from .importer import SESSION_KEY, ImportFileError, Table, check_rows, guess_mapping, read_table
from .kinds import KIND_LIST, KINDS
from .models import ExportLog, Indicator
from .report import build
from .selectors import Lens, cases_for, companies_started, indicators_of, lens_for, participant_rows


def _programme_param(request) -> int | None:
    value = request.GET.get("programme") or request.POST.get("programme")
    return positive_int(value)


def _lens_and_filters(request) -> tuple[Lens, FiltersForm]:
    lens = lens_for(request.user, _programme_param(request))
    form = FiltersForm(request.GET or None, user=request.user, lens=lens)
    return lens, form


def _rules() -> dict:
    return {
        "at_risk_percent": int(AT_RISK_SHARE * 100),
        "ceiling_percent": int(CEILING_SLACK * 100),
        "suppress_below": SUPPRESS_BELOW,
    }


@login_required
def dashboard(request):
    lens, form = _lens_and_filters(request)
    filters = form.filters()
    today = timezone.localdate()
    # Built only when the template's cached fragment is not there (perf.figcache keys it to the data version).
    report = SimpleLazyObject(lambda: build(lens, filters, today=today))
    return render(
        request,
        "outcomes/dashboard.html",
        {
            **_report_cache(request, lens, today),
            "lens": lens,
            "form": form,
            "report": report,
            "rules": _rules(),
            "query": request.GET.urlencode(),
            "kinds": KIND_LIST,
        },
    )


def _report_cache(request, lens: Lens, today) -> dict:
    """How long and under which key the rendered report is cached: the figures' data version, the lens, the
    filters, the day and the language, so any of them changing renders afresh."""
    seconds = getattr(settings, "NEEM_FIGURE_CACHE_SECONDS", 600)
    if not seconds:
        return {"report_seconds": 0, "report_key": ""}
    parts = (
        figcache.version(),
        lens.programme.pk,
        lens.role,
        sorted(lens.region_ids),
        request.GET.urlencode(),
        today,
        get_language(),
    )
    return {"report_seconds": seconds, "report_key": hashlib.sha256(repr(parts).encode()).hexdigest()}


def _filename(lens: Lens, stem: str, extension: str) -> str:
    return f"{lens.programme.slug}-{stem}-{timezone.localdate():%Y%m%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _indicator_export(request, fmt: str):
    lens, form = _lens_and_filters(request)
    filters = form.filters()
    report = build(lens, filters, today=timezone.localdate(), suppress=True)
    header, rows = exports.indicator_table(report)
    what = ExportLog.What.INDICATORS_CSV if fmt == "csv" else ExportLog.What.INDICATORS_XLSX
    services.export_log(
        by=request.user, programme=lens.programme, what=what, filters=filters.as_dict(), row_count=len(rows)
    )
    if fmt == "csv":
        return _download(exports.as_csv(header, rows), exports.CSV_TYPE, _filename(lens, "indicators", "csv"))
    content = exports.as_xlsx(header, rows, title=_("Indicators"))
    return _download(content, exports.XLSX_TYPE, _filename(lens, "indicators", "xlsx"))


@login_required
def export_indicators_csv(request):
    return _indicator_export(request, "csv")


@login_required
def export_indicators_xlsx(request):
    return _indicator_export(request, "xlsx")


def _participant_export(request, fmt: str):
    lens, form = _lens_and_filters(request)
    if not lens.can_export_people:
        raise PermissionDenied
    filters = form.filters()
    rows = participant_rows(cases_for(lens, filters), on=filters.period_end(timezone.localdate()))
    header, table = exports.participant_table(rows)
    what = ExportLog.What.PARTICIPANTS_CSV if fmt == "csv" else ExportLog.What.PARTICIPANTS_XLSX
    services.export_log(
        by=request.user, programme=lens.programme, what=what, filters=filters.as_dict(), row_count=len(table)
    )
    if fmt == "csv":
        return _download(exports.as_csv(header, table), exports.CSV_TYPE, _filename(lens, "participants", "csv"))
    content = exports.as_xlsx(header, table, title=_("Participants"))
    return _download(content, exports.XLSX_TYPE, _filename(lens, "participants", "xlsx"))


@login_required
def export_participants_csv(request):
    return _participant_export(request, "csv")


@login_required
def export_participants_xlsx(request):
    return _participant_export(request, "xlsx")


@login_required
def report_pdf(request):
    lens, form = _lens_and_filters(request)
    filters = form.filters()
    report = build(lens, filters, today=timezone.localdate(), suppress=True)
    services.export_log(
        by=request.user,
        programme=lens.programme,
        what=ExportLog.What.REPORT_PDF,
        filters=filters.as_dict(),
        row_count=len(report.rows),
    )
    pdf = render_pdf(
        "outcomes/report_pdf.html",
        {"lens": lens, "report": report, "rules": _rules(), "filters": filters.as_dict()},
        base_url=request.build_absolute_uri("/"),
    )
    return _download(pdf, "application/pdf", _filename(lens, "report", "pdf"))


# --- The results framework ----------------------------------------------------------------------------


def _managed_lens(request) -> Lens:
    lens = lens_for(request.user, _programme_param(request))
    if not lens.can_manage:
        raise PermissionDenied
    return lens


@login_required
@require_http_methods(["GET", "POST"])
def indicator_list(request):
    lens = _managed_lens(request)
    form = IndicatorForm(request.POST or None, instance=Indicator(programme=lens.programme))
    if request.method == "POST" and form.is_valid():
        services.indicator_save(by=request.user, indicator=form.instance)
        messages.success(request, _("Indicator added."))
        return redirect(f"{request.path}?programme={lens.programme.pk}")
    return render(
        request,
        "outcomes/indicators.html",
        {
            "lens": lens,
            "form": form,
            "indicators": indicators_of(lens.programme, active_only=False),
            "kinds": KINDS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    lens = _managed_lens(request)
    indicator = get_object_or_404(Indicator, pk=pk, programme=lens.programme)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(by=request.user, indicator=form.instance)
        messages.success(request, _("Indicator saved."))
        return redirect(f"{reverse('outcomes:indicators')}?programme={lens.programme.pk}")
    return render(request, "outcomes/indicator_edit.html", {"lens": lens, "form": form, "indicator": indicator})


@login_required
@require_http_methods(["GET", "POST"])
def social_enterprises(request):
    """Managers mark which companies started are social enterprises (a target of seed 004)."""
    lens = _managed_lens(request)
    companies = companies_started(lens)
    if request.method == "POST":
        chosen = {number for v in request.POST.getlist("social") if (number := positive_int(v))}
        count = services.social_enterprises_set(by=request.user, programme=lens.programme, case_ids=chosen)
        messages.success(request, _("Saved: %(count)s social enterprises.") % {"count": count})
        return redirect(f"{reverse('outcomes:social_enterprises')}?programme={lens.programme.pk}")
    return render(request, "outcomes/social_enterprises.html", {"lens": lens, "companies": companies})


# --- Import ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    lens = _managed_lens(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = read_table(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = {"programme": lens.programme.pk, **table.as_session()}
            return redirect("outcomes:import_map")
    return render(request, "outcomes/import_upload.html", {"lens": lens, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request):
    stored = request.session.get(SESSION_KEY)
    if not stored:
        _managed_lens(request)  # refuse everyone but managers before telling them anything
        return redirect("outcomes:import")
    lens = lens_for(request.user, stored["programme"])
    if not lens.can_manage:
        raise PermissionDenied
    table = Table.from_session(stored)
    form = MappingForm(request.POST or None, header=table.header, initial_mapping=guess_mapping(table.header))
    checks = None
    if request.method == "POST" and request.POST.get("action") == "cancel":
        del request.session[SESSION_KEY]
        messages.info(request, _("The uploaded file was discarded."))
        return redirect("outcomes:import")
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if request.POST.get("action") == "apply":
            try:
                created = services.participants_import(
                    by=request.user,
                    programme=lens.programme,
                    table=table,
                    mapping=mapping,
                    allow_duplicates=form.cleaned_data["allow_duplicates"],
                )
            except services.ImportRejected as rejected:
                messages.error(request, str(rejected))
                checks = rejected.checks
            else:
                del request.session[SESSION_KEY]
                messages.success(request, _("%(count)s participants imported.") % {"count": len(created)})
                return redirect("outcomes:dashboard")
        else:
            checks = check_rows(table, mapping, programme=lens.programme)
    summary = None
    if checks is not None:
        summary = {
            "rows": len(checks),
            "errors": sum(1 for c in checks if c.errors),
            "duplicates": sum(1 for c in checks if c.duplicates),
        }
    return render(
        request,
        "outcomes/import_map.html",
        {
            "lens": lens,
            "form": form,
            "table": table,
            "preview": table.rows[:5],
            "checks": [c for c in checks or [] if c.errors or c.duplicates],
            "summary": summary,
        },
    )
