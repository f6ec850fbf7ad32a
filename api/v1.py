"""Version 1 of the REST API, mounted at /api/v1/.

Every read starts from the same selectors as the web pages (cases_visible_to, sessions_visible_to,
loans_visible_to, the outcomes lens), narrowed to the token's programme; every write calls the same
service as the page, so object-level access and the checks are exactly the web's.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Path, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from coaching import selectors as coaching_selectors
from coaching import services as coaching_services
from coaching import session_services
from coaching.curriculum_forms import SessionForm
from coaching.curriculum_selectors import sessions_visible_to
from coaching.errors import DomainError, NotAllowed
from coaching.forms import PARTICIPANT_FIELDS, NewParticipantForm
from coaching.models import CaseFile, Participant, Stage
from coaching.session_models import Attendance, Session
from loans import selectors as loan_selectors
from loans import services as loan_services
from loans.forms import RepaymentForm
from loans.models import EntryKind, LedgerEntry, Loan, LoanStatus
from neem import access

from . import schemas as s
from .auth import READ, REPAYMENTS, WRITE, ApiError
from .models import IdempotencyKey

DESCRIPTION = """
Neem's REST API: participants, case files (read, create, move on), coaching sessions and attendance,
loans with their schedules, repayments, and the programme's indicators.

**Authentication.** Every call sends `Authorization: Bearer <token>`. A token is created by the programme's
administrator (in the app: *API tokens*, or `manage.py create_api_token`), acts as one staff member and sees
exactly what her pages show, within the token's programme. Scopes: `read` (every GET), `write` (create cases,
transitions, plan sessions, attendance), `repayments` (record repayments).

**Errors** are JSON: `{"detail": "...", "code": "...", "errors": [{"field": "...", "message": "..."}]}`.
401 no, unknown, expired or revoked token; 403 missing scope or not allowed; 404 not visible to this user;
409 refused in the object's present state, or an idempotency key reused with another request;
422 invalid input (field errors).

**Lists** take `limit` (1–200, default 50) and `offset`, and answer `count` and `next_offset`.

**Money** is always a decimal string (`"1250.00"`), never a number.

**Repayments** need an `Idempotency-Key` header: a retry with the same key and body is applied once and
answers the same; the same key with another body answers 409.
"""

api = NinjaAPI(
    title="Neem API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
ERRORS = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: s.ErrorOut}
MAX_LIMIT = 200


# --- Errors ---------------------------------------------------------------------------------------


def _error(request, status: int, code: str, detail, errors=None, headers=None):
    response = api.create_response(
        request, {"detail": str(detail), "code": code, "errors": errors or []}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.detail, exc.errors, exc.headers)


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return _error(
        request,
        401,
        "unauthenticated",
        _("Send an API token: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="neem"'},
    )


def _location(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, rest = parts[0], parts[1:]
        # ninja names the body by the parameter ("payload"); clients know the fields, not our argument name.
        if where == "body" and rest:
            rest = rest[1:]
        return ".".join(rest) if rest else where
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors = [{"field": _location(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 422, "invalid", _("The request is not valid: see the field errors."), errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(
        exc.status_code, "error"
    )
    if exc.status_code == 400:
        # A body that is not JSON at all: answer it like any other invalid input.
        return _error(request, 422, "invalid", str(exc), [{"field": "body", "message": str(exc)}])
    return _error(request, exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found, or not visible to this token's user."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or _("This token's user may not do this."))


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    if isinstance(exc, NotAllowed):
        return _error(request, 403, "forbidden", exc.message)
    return _error(request, 409, "refused", exc.message)


def _form_errors(form, names: dict[str, str] | None = None) -> list[dict]:
    """The web form's errors, each under the API's name for the field ("" for the whole request)."""
    names = names or {}
    return [
        {"field": "" if field == "__all__" else names.get(field, field), "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


# The registration form's fields, as the API's body names them.
REGISTRATION_FIELDS = {
    **{name: f"participant.{name}" for name in PARTICIPANT_FIELDS},
    "region": "region_id",
}


# --- Helpers --------------------------------------------------------------------------------------


def _token(request):
    return request.auth


def _page(queryset: QuerySet, *, limit: int, offset: int, item) -> dict:
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if offset < count else []
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < count else None,
        "items": [item(row) for row in rows],
    }


def _aware(moment: datetime | None) -> datetime | None:
    """In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 (and Python) allow; at the ends of the
    calendar, the nearest moment that exists."""
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if moment.year < 2 else datetime.max.replace(tzinfo=UTC)


LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1–200).")]
OffsetParam = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]


def _cases(request) -> QuerySet[CaseFile]:
    return coaching_selectors.cases_visible_to(request.user).filter(programme_id=_token(request).programme_id)


# --- Participants ---------------------------------------------------------------------------------

participants = Router(tags=["participants"])


def _participant_out(p: Participant) -> dict:
    data = {name: getattr(p, name) for name in PARTICIPANT_FIELDS if name != "household_income"}
    data["household_income"] = None if p.household_income is None else s.money(p.household_income)
    data.update(id=p.pk, created_at=p.created_at, updated_at=p.updated_at, case_ids=[c.pk for c in p.visible_cases])
    return data


def _participants(request) -> QuerySet[Participant]:
    cases = _cases(request)
    return (
        Participant.objects.filter(pk__in=cases.values("participant_id"), merged_into__isnull=True)
        .prefetch_related(Prefetch("cases", queryset=cases.order_by("pk"), to_attr="visible_cases"))
        .order_by("last_name", "first_name", "pk")
    )


@participants.get("", response={200: s.ParticipantPage, **ERRORS}, auth=READ, summary="List participants")
def participant_list(
    request,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
    region: Annotated[
        int | None, Query(ge=1, le=2_147_483_647, description="Only those with a case in this region.")
    ] = None,
    updated_since: Annotated[datetime | None, Query(description="Changed at or after this moment (ISO 8601).")] = None,
):
    """The people whose cases the token's user may see (her caseload's region, or the programme)."""
    qs = _participants(request)
    if region:
        qs = qs.filter(cases__in=_cases(request).filter(region_id=region)).distinct()
    if updated_since:
        qs = qs.filter(updated_at__gte=_aware(updated_since))
    return _page(qs, limit=limit, offset=offset, item=_participant_out)


@participants.get("/{participant_id}", response={200: s.ParticipantOut, **ERRORS}, auth=READ, summary="A participant")
def participant_detail(request, participant_id: Id):
    return _participant_out(get_object_or_404(_participants(request), pk=participant_id))


# --- Case files -----------------------------------------------------------------------------------

cases = Router(tags=["cases"])


def _case_out(case: CaseFile) -> dict:
    return {
        "id": case.pk,
        "participant_id": case.participant_id,
        "participant_name": case.participant.full_name,
        "programme_id": case.programme_id,
        "region_id": case.region_id,
        "region": case.region.name,
        "adviser_id": case.adviser_id,
        "adviser_name": str(case.adviser) if case.adviser else "",
        "state": case.state,
        "opened_at": case.opened_at,
        "stage_entered_at": case.stage_entered_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "withdrawal_reason": case.withdrawal_reason,
    }


def _case_detail_out(request, case: CaseFile) -> dict:
    transitions = [
        {
            "name": row["info"].name,
            "label": str(row["info"].label),
            "enabled": row["enabled"],
            "problems": [str(p) for p in row["problems"]],
            "needs_outcome": row["info"].needs_outcome,
            "needs_reason": row["info"].needs_reason,
        }
        for row in coaching_services.transitions_for(case, request.user)
    ]
    return {**_case_out(case), "can_work": access.can_work_on_case(request.user, case), "transitions": transitions}


def _case_for(request, case_id: int) -> CaseFile:
    return get_object_or_404(
        _cases(request).select_related("participant", "programme", "region", "adviser"), pk=case_id
    )


@cases.get("", response={200: s.CasePage, **ERRORS}, auth=READ, summary="List case files")
def case_list(
    request,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
    state: Annotated[s.choice(Stage) | None, Query(description="Only cases in this stage.")] = None,
    region: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    adviser: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    updated_since: Annotated[datetime | None, Query(description="Changed at or after this moment (ISO 8601).")] = None,
):
    """The cases the token's user sees on her caseload (closed and withdrawn ones too), newest change first."""
    qs = _cases(request).select_related("participant", "region", "adviser")
    if state:
        qs = qs.filter(state=state)
    if region:
        qs = qs.filter(region_id=region)
    if adviser:
        qs = qs.filter(adviser_id=adviser)
    if updated_since:
        qs = qs.filter(updated_at__gte=_aware(updated_since))
    return _page(qs.order_by("-updated_at", "-pk"), limit=limit, offset=offset, item=_case_out)


@cases.get("/{case_id}", response={200: s.CaseDetailOut, **ERRORS}, auth=READ, summary="A case file")
def case_detail(request, case_id: Id):
    """The case with the steps this user may take now, and what holds each back (the gates)."""
    return _case_detail_out(request, _case_for(request, case_id))


@cases.post("", response={201: s.CaseDetailOut, **WRITE_ERRORS}, auth=WRITE, summary="Register a participant")
def case_create(request, payload: s.CaseCreateIn):
    """Register a person and open her case in `mobilised`, as the "Register a participant" page does (the same
    form and checks). Someone who looks already registered is refused with 409 unless `create_anyway`."""
    token = _token(request)
    regions = access.regions_for_new_cases(request.user).filter(programme_id=token.programme_id)
    if not access.can_create_participants(request.user):
        raise ApiError(403, "forbidden", _("This token's user cannot register participants."))
    data = payload.participant.model_dump()
    data.update(region=payload.region_id, consent=payload.consent, create_anyway=payload.create_anyway)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = NewParticipantForm(data, regions=regions)
    if not form.is_valid():
        raise ApiError(
            422,
            "invalid",
            _("The request is not valid: see the field errors."),
            _form_errors(form, REGISTRATION_FIELDS),
        )
    cleaned = form.cleaned_data
    duplicates = coaching_selectors.possible_duplicates(
        email=cleaned["email"],
        phone=cleaned["phone"],
        first_name=cleaned["first_name"],
        last_name=cleaned["last_name"],
        date_of_birth=cleaned["date_of_birth"],
    )
    if duplicates and not cleaned["create_anyway"]:
        raise ApiError(
            409,
            "possible_duplicate",
            _("This person may already be registered. Check, or send create_anyway: true."),
            [{"field": "create_anyway", "message": _("Looks like someone already registered.")}],
        )
    _participant, case = coaching_services.participant_create(
        by=request.user, data=form.participant_data(), region=cleaned["region"]
    )
    return Status(201, _case_detail_out(request, _case_for(request, case.pk)))


@cases.post(
    "/{case_id}/transitions", response={200: s.CaseDetailOut, **WRITE_ERRORS}, auth=WRITE, summary="Move a case on"
)
def case_transition(request, case_id: Id, payload: s.TransitionIn):
    """Take one step, through the same service and checks as the case page: only the assigned adviser or the
    region lead (403), only from the right stage and once the gates are met (409, with what holds it back)."""
    case = _case_for(request, case_id)
    coaching_services.case_transition(
        case_id=case.pk,
        by=request.user,
        name=payload.transition,
        note=payload.note,
        expected_state=payload.expected_state or None,
        outcome=payload.outcome or "",
        reason=payload.reason or "",
    )
    return Status(200, _case_detail_out(request, _case_for(request, case.pk)))


# --- Sessions and attendance ------------------------------------------------------------------------

sessions = Router(tags=["sessions"])

SESSION_FIELDS = [
    "kind",
    "cohort_id",
    "case_id",
    "region_id",
    "starts_at",
    "duration_minutes",
    "place",
    "video_url",
    "adviser_id",
    "topic",
    "attendance_taken_at",
]


def _session_out(session: Session) -> dict:
    return {"id": session.pk, **{name: getattr(session, name) for name in SESSION_FIELDS}}


def _sessions(request) -> QuerySet[Session]:
    return sessions_visible_to(request.user).filter(region__programme_id=_token(request).programme_id)


def _session_detail_out(request, session: Session) -> dict:
    marks = dict(Attendance.objects.filter(session=session).values_list("case_id", "status"))
    rows = [
        {"case_id": case.pk, "participant_name": case.participant.full_name, "status": marks.get(case.pk)}
        for case in session_services.attendance_candidates(session)
    ]
    return {
        **_session_out(session),
        "can_take_attendance": session_services.can_run_sessions(request.user, session.region_id),
        "attendance": rows,
    }


@sessions.get("", response={200: s.SessionPage, **ERRORS}, auth=READ, summary="List coaching sessions")
def session_list(
    request,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
    region: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    starts_from: Annotated[date | None, Query(description="Sessions on or after this day.")] = None,
    starts_to: Annotated[date | None, Query(description="Sessions on or before this day.")] = None,
):
    qs = _sessions(request)
    if region:
        qs = qs.filter(region_id=region)
    if starts_from:
        qs = qs.filter(starts_at__date__gte=starts_from)
    if starts_to:
        qs = qs.filter(starts_at__date__lte=starts_to)
    return _page(qs.order_by("-starts_at", "-pk"), limit=limit, offset=offset, item=_session_out)


SESSION_FORM_FIELDS = {
    "region": "region_id",
    "cohort": "cohort_id",
    "case": "case_id",
    "adviser": "adviser_id",
    "module": "module_id",
}


@sessions.post("", response={201: s.SessionDetailOut, **WRITE_ERRORS}, auth=WRITE, summary="Plan a session")
def session_create(request, payload: s.SessionIn):
    """Plan a coaching session, with the planning page's form and service: the region's advisers and lead, or a
    manager. An individual session puts "take attendance" on the participant's next actions."""
    regions = session_services.session_regions(request.user).filter(programme_id=_token(request).programme_id)
    if not regions.exists():
        raise ApiError(403, "forbidden", _("This token's user does not plan sessions."))
    try:
        starts_at = timezone.localtime(_aware(payload.starts_at)).strftime("%Y-%m-%dT%H:%M")
    except (OverflowError, ValueError):
        starts_at = ""
    data = {
        "region": payload.region_id,
        "kind": payload.kind,
        "topic": payload.topic,
        "starts_at": starts_at,
        "duration_minutes": payload.duration_minutes,
        "place": payload.place,
        "video_url": payload.video_url,
        **{
            form_name: getattr(payload, api_name) or ""
            for form_name, api_name in SESSION_FORM_FIELDS.items()
            if form_name != "region"
        },
    }
    data["adviser"] = payload.adviser_id or request.user.pk  # as the page's form starts: herself
    form = SessionForm(data, regions=regions)
    if not form.is_valid():
        raise ApiError(
            422,
            "invalid",
            _("The request is not valid: see the field errors."),
            _form_errors(form, SESSION_FORM_FIELDS),
        )
    cleaned = form.cleaned_data
    saved = session_services.session_save(
        by=request.user,
        region=cleaned["region"],
        data={name: cleaned.get(name) for name in session_services.SESSION_FIELDS},
    )
    return Status(201, _session_detail_out(request, Session.objects.get(pk=saved.pk)))


@sessions.get("/{session_id}", response={200: s.SessionDetailOut, **ERRORS}, auth=READ, summary="A session")
def session_detail(request, session_id: Id):
    """The session with who may be marked and their attendance (null: not recorded)."""
    return _session_detail_out(request, get_object_or_404(_sessions(request), pk=session_id))


@sessions.put(
    "/{session_id}/attendance",
    response={200: s.SessionDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Record attendance",
)
def session_attendance(request, session_id: Id, payload: s.AttendanceIn):
    """Record attendance for the session at once, as the attendance page does: the region's advisers and lead
    (or a manager), once the session has started, only for its participants."""
    session = get_object_or_404(_sessions(request), pk=session_id)
    statuses: dict[int, str] = {}
    for mark in payload.marks:
        statuses[mark.case_id] = mark.status
    session_services.attendance_record(by=request.user, session_id=session.pk, statuses=statuses)
    return Status(200, _session_detail_out(request, Session.objects.get(pk=session.pk)))


# --- Loans, schedules and repayments -------------------------------------------------------------------

loans = Router(tags=["loans"])


def _loan_out(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "case_id": loan.case_id,
        "participant_name": loan.case.participant.full_name,
        "product": loan.product.name,
        "status": loan.status,
        "currency": loan.currency,
        "principal": s.money(loan.principal),
        "term": loan.term,
        "created_at": loan.created_at,
        "disbursed_on": loan.disbursed_on,
        "closed_on": loan.closed_on,
    }


def _loans(request) -> QuerySet[Loan]:
    return loan_selectors.loans_visible_to(request.user).filter(case__programme_id=_token(request).programme_id)


def _loan_for(request, loan_id: int) -> Loan:
    return get_object_or_404(_loans(request), pk=loan_id)


@loans.get("", response={200: s.LoanPage, **ERRORS}, auth=READ, summary="List loans")
def loan_list(
    request,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
    status: Annotated[s.choice(LoanStatus) | None, Query()] = None,
    region: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    case: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
):
    qs = _loans(request)
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(case__region_id=region)
    if case:
        qs = qs.filter(case_id=case)
    return _page(qs.order_by("-created_at", "-pk"), limit=limit, offset=offset, item=_loan_out)


@loans.get("/{loan_id}", response={200: s.LoanDetailOut, **ERRORS}, auth=READ, summary="A loan")
def loan_detail(request, loan_id: Id):
    loan = _loan_for(request, loan_id)
    balance = loan_services.ledger_balance(loan)
    return {
        **_loan_out(loan),
        "balance": {name: s.money(value) for name, value in balance.items()},
        "can_record_repayments": loan_services._can_handle_money(request.user, loan),
    }


@loans.get("/{loan_id}/schedule", response={200: s.ScheduleOut, **ERRORS}, auth=READ, summary="A loan's schedule")
def loan_schedule(request, loan_id: Id):
    """The active schedule: what each instalment owes, what is paid, what is overdue (as of today)."""
    loan = _loan_for(request, loan_id)
    position = loan_services.loan_position(loan)
    today = position.as_of
    return {
        "loan_id": loan.pk,
        "currency": loan.currency,
        "as_of": today,
        "outstanding": s.money(position.outstanding),
        "credit": s.money(position.credit),
        "days_overdue": position.days_overdue,
        "instalments": [
            {
                "number": i.number,
                "due_date": i.due_date,
                **{c: s.money(i.due[c]) for c in ("principal", "interest", "fee", "penalty")},
                "total_due": s.money(i.total_due),
                "total_paid": s.money(i.total_paid),
                "outstanding": s.money(i.total_outstanding),
                "days_overdue": i.days_overdue(today),
                "status": i.status(today),
            }
            for i in position.instalments
        ],
    }


def _repayment_out(entry: LedgerEntry) -> dict:
    return {
        "id": entry.pk,
        "loan_id": entry.loan_id,
        "amount": s.money(entry.amount),
        "value_date": entry.value_date,
        "method": entry.method,
        "reference": entry.external_reference or "",
        "principal": s.money(-entry.principal),
        "interest": s.money(-entry.interest),
        "fee": s.money(-entry.fee),
        "penalty": s.money(-entry.penalty),
        "credit": s.money(entry.credit),
        "created_at": entry.created_at,
    }


IdempotencyHeader = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=255,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="A unique key per repayment (e.g. a UUID). A retry with the same key is applied once.",
    ),
]


def _request_hash(loan_id: int, payload: s.RepaymentIn) -> str:
    canonical = json.dumps({"loan": loan_id, **payload.model_dump(mode="json")}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@loans.post(
    "/{loan_id}/repayments",
    response={201: s.RepaymentOut, **WRITE_ERRORS},
    auth=REPAYMENTS,
    summary="Record a repayment",
)
def repayment_create(request, loan_id: Id, payload: s.RepaymentIn, idempotency_key: IdempotencyHeader):
    """Record money received, split over the instalments oldest first (as the loan page does). Needs the scope
    `repayments` and an `Idempotency-Key`: the same key with the same body answers the first result again
    (nothing is recorded twice); the same key with another body answers 409."""
    loan = _loan_for(request, loan_id)
    form = RepaymentForm(
        {
            "amount": payload.amount,
            "on": payload.on.isoformat(),
            "method": payload.method,
            "reference": payload.reference,
        }
    )
    if not form.is_valid():
        raise ApiError(422, "invalid", _("The request is not valid: see the field errors."), _form_errors(form))
    request_hash = _request_hash(loan.pk, payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=idempotency_key, request_hash=request_hash, token=_token(request)
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=request.user, key=idempotency_key)
            if record.request_hash != request_hash:
                raise ApiError(
                    409,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request. Use a new key for a new repayment."),
                    [{"field": "Idempotency-Key", "message": _("Already used with a different request.")}],
                ) from None
            return Status(record.status, record.response)
        data = form.cleaned_data
        try:
            entry = loan_services.repayment_record(
                by=request.user,
                loan_id=loan.pk,
                amount=data["amount"],
                on=data["on"],
                method=data["method"],
                external_reference=data["reference"] or None,
            )
        except loan_services.ReferenceUsed:
            entry = None
        if entry is None or entry.loan_id != loan.pk or entry.kind != EntryKind.REPAYMENT:
            raise ApiError(
                409,
                "reference_used",
                _("This reference is already recorded on another payment."),
                [{"field": "reference", "message": _("Already recorded.")}],
            )
        body = json.loads(json.dumps(_repayment_out(entry), default=str))
        record.status, record.response = 201, body
        record.save(update_fields=["status", "response"])
    return Status(201, body)


# --- Indicators ---------------------------------------------------------------------------------------

indicators = Router(tags=["indicators"])


@indicators.get("", response={200: s.IndicatorsOut, **ERRORS}, auth=READ, summary="The programme's indicators")
def indicator_list(request):
    """The results framework as the outcomes dashboard shows it to this user: the whole programme for a
    manager, her regions for an adviser or a region lead. Others get 403, as on the dashboard."""
    from outcomes.report import build
    from outcomes.selectors import Filters, lens_for

    programme_id = _token(request).programme_id
    if programme_id not in access.outcomes_programmes(request.user):
        raise ApiError(403, "forbidden", _("This token's user does not see the programme's outcomes."))
    lens = lens_for(request.user, programme_id)
    report = build(lens, Filters(), today=timezone.localdate(), details=False)
    items = []
    for row in report.rows:
        indicator, figure = row.indicator, row.figure
        hidden = report.suppress and figure.suppressed
        value = None if hidden or figure.value is None else f"{figure.value.quantize(s.Decimal('0.01'))}"
        items.append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "kind": indicator.kind,
                "label": str(indicator.label),
                "unit": indicator.unit,
                "value": value,
                "shown": str(row.actual),
                "based_on": str(row.based_on),
                "baseline": None if indicator.baseline is None else s.money(indicator.baseline),
                "target_min": s.money(indicator.target_min),
                "target_max": None if indicator.target_max is None else s.money(indicator.target_max),
                "lower_is_better": indicator.lower_is_better,
                "status": str(row.light.label),
            }
        )
    return {
        "programme_id": programme_id,
        "as_of": report.today,
        "scope": "programme" if lens.whole_programme else "regions",
        "items": items,
    }


api.add_router("/participants", participants)
api.add_router("/cases", cases)
api.add_router("/sessions", sessions)
api.add_router("/loans", loans)
api.add_router("/indicators", indicators)
