from __future__ import annotations

import hashlib
from functools import cache as once

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching import selectors as case_selectors
from coaching.errors import DomainError, NotAllowed
from coaching.tabs import case_url
from loans.models import LoanProduct
from neem import access
from perf import figcache

from . import figures, selectors, services
from .forms import (
    FollowUpForm,
    MeetingForm,
    MemberForm,
    PortfolioForm,
    SavingsEntryForm,
    SavingsGroupForm,
    VerifyForm,
)
from .models import SavingsEntry


def _run(request, action, success: str | None = None):
    """Call a service; a refusal becomes a message (None returned), no right becomes 403."""
    try:
        result = action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- Portfolio -----------------------------------------------------------------------------------------


@login_required
def portfolio(request):
    user = request.user
    if not selectors.can_see_portfolio(user):
        raise PermissionDenied
    scope = access.scope_of(user)
    # The filters' choices and the tables' names show names only (str() of a region, product or user).
    regions = access.managed_regions(user).select_related(None).only("name").order_by("name")
    programmes = scope.manager_programmes | frozenset(scope.region_programme[r] for r in scope.lead_regions)
    products = LoanProduct.objects.filter(programme__in=programmes).order_by("name")
    # The regions' and products' names (and the products' currencies) change only with a write to one of them,
    # which moves the data version: cached like the figures (perf.figcache), for the user's regions and programmes.
    choices = figcache.cached(
        "portfolio.choices",
        (sorted(scope.lead_regions), sorted(scope.manager_programmes), sorted(programmes)),
        lambda: {
            "regions": list(regions.values_list("pk", "name")),
            "products": list(products.values_list("pk", "name", "programme__currency")),
        },
    )
    # Who has lent: a scan of every loan, so cached until the next write (perf.figcache).
    all_loans = selectors.portfolio_loans(user)
    adviser_ids = figcache.cached(
        "portfolio.advisers",
        (figcache.queryset_key(all_loans),),
        lambda: sorted(pk for pk in all_loans.order_by().values_list("case__adviser_id", flat=True).distinct() if pk),
    )
    advisers = (
        get_user_model()
        .objects.filter(pk__in=adviser_ids)
        .only("first_name", "last_name", "email")
        .order_by("first_name", "last_name")
    )
    form = PortfolioForm(request.GET or None, regions=regions, products=products, advisers=advisers)
    data = form.cleaned_data if form.is_bound and form.is_valid() else PortfolioForm.defaults()
    loans = selectors.portfolio_loans(
        user, region=data.get("region"), product=data.get("product"), adviser=data.get("adviser")
    )
    period = {"as_of": data["as_of"], "period_from": data["period_from"]}
    names = {
        "region": dict(choices["regions"]),
        "product": {pk: name for pk, name, _currency in choices["products"]},
        "adviser": {a.pk: str(a) for a in advisers},
    }
    # Every loan's sums, read once (and only if some figure is not cached) for the whole and every grouping.
    sums = once(lambda: figures.loan_table(loans, **period))

    def breakdowns():
        tables = []
        for dim, title in (("region", _("By region")), ("product", _("By loan product")), ("adviser", _("By adviser"))):
            rows = figures.compute(loans, by=dim, table=sums, **period)
            table = sorted(
                ((names[dim].get(key, _("no adviser") if key is None else str(key)), f) for key, f in rows.items()),
                key=lambda row: row[0],
            )
            tables.append({"dim": dim, "title": title, "rows": table})
        return tables

    return render(
        request,
        "portfolio/portfolio.html",
        {
            **_breakdowns_cache(loans, period, names),
            "form": form,
            "figures": figures.portfolio_figures(loans, table=sums, **period),
            # Worked out when the template renders the tables: not when their cached fragment is served.
            "breakdowns": breakdowns,
            "currency": ", ".join(sorted({currency for _pk, _name, currency in choices["products"]})),
        },
    )


def _breakdowns_cache(loans, period: dict, names: dict) -> dict:
    """How long and under which key the rendered breakdown tables are cached: the figures' data version, the
    loans, the period, the names shown and the language, so any of them changing renders afresh."""
    seconds = getattr(settings, "NEEM_FIGURE_CACHE_SECONDS", 600)
    if not seconds:
        return {"breakdowns_seconds": 0, "breakdowns_key": ""}
    parts = (
        figcache.version(),
        figcache.queryset_key(loans),
        sorted(period.items()),
        sorted((dim, sorted(values.items())) for dim, values in names.items()),
        get_language(),
    )
    return {"breakdowns_seconds": seconds, "breakdowns_key": hashlib.sha256(repr(parts).encode()).hexdigest()}


# --- Savings groups ------------------------------------------------------------------------------------


def _savings_regions(user):
    from neem.models import Region

    return Region.objects.filter(pk__in=access.scope_of(user).case_reader_regions).order_by("name")


@login_required
def group_list(request):
    user = request.user
    scope = access.scope_of(user)
    if not (scope.case_reader_regions or scope.manager_programmes):
        raise PermissionDenied
    regions = _savings_regions(user)
    form = SavingsGroupForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        group = _run(
            request,
            lambda: services.savings_group_create(by=user, **form.cleaned_data),
            _("The savings group was started."),
        )
        if group:
            return redirect("portfolio:group_detail", pk=group.pk)
    groups = selectors.groups_with_progress(selectors.savings_groups_visible_to(user).order_by("region__name", "name"))
    return render(
        request, "portfolio/group_list.html", {"groups": groups, "form": form, "can_create": regions.exists()}
    )


def _group_page(request, group, *, entry_form=None, meeting_form=None, member_form=None, status=200):
    members = selectors.members_with_balances(group)
    can_keep = selectors.can_keep_savings(request.user, group)
    member_cases = (
        case_selectors.cases_visible_to(request.user)
        .filter(region=group.region, state__in=["coaching", "business_plan", "loan", "follow_up"])
        .exclude(savings_memberships__group=group)
        .select_related("participant")
        .order_by("participant__last_name")
    )
    return render(
        request,
        "portfolio/group_detail.html",
        {
            "group": group,
            "members": members,
            "progress": selectors.group_progress(group),
            "meetings": group.meetings.prefetch_related("attended__case__participant")[:20],
            "entries": group.entries.select_related("case__participant", "created_by", "reversed_by").order_by(
                "-date", "-id"
            )[:50],
            "can_keep": can_keep,
            "currency": group.programme.currency,
            "entry_form": entry_form or SavingsEntryForm(members=members),
            "meeting_form": meeting_form or MeetingForm(members=members),
            "member_form": member_form or MemberForm(cases=member_cases),
        },
        status=status,
    )


@login_required
def group_detail(request, pk: int):
    return _group_page(request, selectors.savings_group_for_page(request.user, pk))


def _group_to_keep(request, pk: int):
    group = selectors.savings_group_for_page(request.user, pk)
    if not selectors.can_keep_savings(request.user, group):
        raise PermissionDenied
    return group


@login_required
@require_POST
def savings_entry(request, pk: int):
    group = _group_to_keep(request, pk)
    form = SavingsEntryForm(request.POST, members=selectors.members_with_balances(group))
    if not form.is_valid():
        return _group_page(request, group, entry_form=form, status=400)
    data = form.cleaned_data
    service = services.savings_withdraw if data["kind"] == SavingsEntry.Kind.WITHDRAWAL else services.savings_contribute
    done = _run(
        request,
        lambda: service(
            by=request.user,
            group_id=group.pk,
            case_id=int(data["member"]),
            amount=data["amount"],
            on=data["date"],
            reference=data["reference"],
            note=data["note"],
        ),
        _("Recorded."),
    )
    if not done:
        return _group_page(request, group, entry_form=form, status=400)
    return redirect("portfolio:group_detail", pk=group.pk)


@login_required
@require_POST
def savings_reverse(request, pk: int, entry_pk: int):
    group = _group_to_keep(request, pk)
    entry = get_object_or_404(group.entries, pk=entry_pk)
    _run(
        request,
        lambda: services.savings_reverse(
            by=request.user, entry_id=entry.pk, reason=request.POST.get("reason") or _("Recorded by mistake")
        ),
        _("The entry was reversed."),
    )
    return redirect("portfolio:group_detail", pk=group.pk)


@login_required
@require_POST
def meeting(request, pk: int):
    group = _group_to_keep(request, pk)
    members = selectors.members_with_balances(group)
    form = MeetingForm(request.POST, members=members)
    if not form.is_valid():
        return _group_page(request, group, meeting_form=form, status=400)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.meeting_record(
            by=request.user,
            group_id=group.pk,
            on=data["date"],
            note=data["note"],
            attended=[int(x) for x in data["attended"]],
        ),
        _("The meeting was recorded."),
    )
    return redirect("portfolio:group_detail", pk=group.pk)


@login_required
@require_POST
def member_add(request, pk: int):
    group = _group_to_keep(request, pk)
    cases = case_selectors.cases_visible_to(request.user).filter(region=group.region).select_related("participant")
    form = MemberForm(request.POST, cases=cases)
    if not form.is_valid():
        return _group_page(request, group, member_form=form, status=400)
    _run(
        request,
        lambda: services.savings_member_add(
            by=request.user, group_id=group.pk, case=form.cleaned_data["case"], loan_need=form.cleaned_data["loan_need"]
        ),
        _("She joined the group."),
    )
    return redirect("portfolio:group_detail", pk=group.pk)


# --- Credit statements ---------------------------------------------------------------------------------


def _verify_page_url(request) -> str:
    return request.build_absolute_uri(reverse("portfolio:verify"))


def _statement_filename(statement) -> str:
    return f"credit-history-{statement.issued_at:%Y-%m-%d}-{statement.pk}.pdf"


@login_required
def my_credit_history(request):
    participant = getattr(request.user, "participant", None)
    if participant is None:
        raise Http404
    if request.method == "POST":
        issued = _run(
            request,
            lambda: services.statement_issue(
                by=request.user, participant=participant, verify_url=_verify_page_url(request)
            ),
        )
        if issued:
            statement, pdf = issued
            return _pdf_response(pdf, _statement_filename(statement))
    return render(
        request,
        "portfolio/my_credit_history.html",
        {
            "participant": participant,
            "statements": participant.credit_statements.all(),
            "loans": selectors.statement_loans(participant, as_of=timezone.localdate()),
        },
    )


@login_required
@require_POST
def case_statement_issue(request, pk: int):
    case = case_selectors.case_for_page(request.user, pk)
    issued = _run(
        request,
        lambda: services.statement_issue(
            by=request.user, participant=case.participant, verify_url=_verify_page_url(request)
        ),
    )
    if not issued:
        return redirect(case_url(case.pk, "loan", "#follow-up"))
    statement, pdf = issued
    return _pdf_response(pdf, _statement_filename(statement))


@login_required
@require_POST
def statement_revoke(request, pk: int):
    statement = get_object_or_404(selectors.statements_visible_to(request.user), pk=pk)
    _run(
        request,
        lambda: services.statement_revoke(by=request.user, statement_id=statement.pk),
        _("The statement was revoked: it no longer verifies."),
    )
    case = statement.participant.cases.filter(pk__in=case_selectors.cases_visible_to(request.user)).first()
    return redirect(case_url(case.pk, "loan", "#follow-up")) if case else redirect("home")


def _too_many_lookups(request) -> bool:
    limit, window = getattr(settings, "NEEM_VERIFY_RATE_LIMIT", (20, 600))
    key = "neem:verify:" + (request.META.get("REMOTE_ADDR") or "unknown")
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def verify(request, code: str | None = None):
    """Public: answers only whether a statement is valid, when it was issued and for whom."""
    code = code or request.GET.get("code")
    form = VerifyForm({"code": code} if code else None)
    answer = None
    if code is not None:
        if _too_many_lookups(request):
            return render(request, "portfolio/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        statement = selectors.statement_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        answer = statement if statement and statement.is_valid else False
    response = render(request, "portfolio/verify.html", {"form": form, "answer": answer})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Follow-up visits ----------------------------------------------------------------------------------


@login_required
def follow_up_new(request, pk: int):
    case = case_selectors.case_for_page(request.user, pk)
    if not access.can_work_on_case(request.user, case):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.follow_up_record(
                by=request.user,
                case_id=case.pk,
                on=data["date"],
                company_status=data["company_status"],
                turnover=data["turnover"],
                profit=data["profit"],
                employees=data["employees"],
                household_income=data["household_income"],
                note=data["note"],
            ),
            _("The follow-up visit was recorded."),
        )
        if done:
            return redirect(case_url(case.pk, "loan", "#follow-up"))
    return render(request, "portfolio/follow_up_form.html", {"case": case, "form": form})
