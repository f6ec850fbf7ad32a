"""Every URL of the project, as every role: the status each one gets, and never the data when refused.

The table below is the access contract. A new URL pattern fails `test_every_url_has_a_row` (and its
own rows) until somebody writes down who may reach it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coaching import curriculum_services, mentoring_services
from coaching.curriculum_models import ItemCheck, Module, ModuleProgress, Resource
from coaching.mentoring_models import MentorMatch, MentorMeeting
from coaching.models import CaseEvent, CaseFile, Curriculum, DuplicateDismissal, NextAction, Note, Participant, Stage
from coaching.session_models import Attendance, Cohort, CohortMember, Session
from healthchecks import services as health_services
from healthchecks.models import Area, Questionnaire, Round, Score
from loans import services as loan_services
from loans.models import (
    ApplicationStatus,
    LedgerEntry,
    LendingPolicy,
    Loan,
    LoanApplication,
    LoanProduct,
    LoanStatus,
    Reschedule,
    Vote,
)
from neem.models import AuditEvent, Membership, Role, User
from plans import services as plan_services
from plans.models import BusinessPlan, PlanVersion, SectionComment

from .coaching.curriculum_fixtures import publish_curriculum
from .conftest import ROLES, build_world, staff
from .factories import PASSWORD, CaseFileFactory, NextActionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# The matrix adds a volunteer mentor (matched to the participant) and an evaluator (outcomes only,
# anonymised) to the roles of the shared world.
MATRIX_ROLES = [*ROLES, "mentor", "evaluator"]

# Third-party and framework URLs, tested on their own below or not ours to test.
SKIPPED_PREFIXES = ("admin/", "cms-admin/", "accounts/", "documents/", "i18n/", "static/", "media/")
SKIPPED_MODULES = ("wagtail.", "allauth.", "django.")


def _module_name(resolver: URLResolver) -> str:
    urlconf = resolver.urlconf_name
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")


def project_urls(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str, list[str]]]:
    """(qualified name, route, parameter names) of every pattern that is ours."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            if _module_name(entry).startswith(SKIPPED_MODULES):
                continue
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            found += project_urls(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(part for part in (namespace, entry.name) if part)
            assert entry.name, f"URL pattern {route!r} has no name; the matrix needs one"
            found.append((name, route, list(entry.pattern.regex.groupindex)))
    return found


URLS = project_urls()

# --- The world of the matrix ---------------------------------------------------------------------
# One object behind every URL parameter, all hanging on Amal's case where they can. Built once per
# module (and per xdist worker): each test runs in a savepoint inside the module's transaction, so
# what one request changes is rolled back before the next.

TODAY = date.today()


def build_matrix_world():
    w = build_world()
    w.note = Note.objects.create(case=w.case, author=w.adviser, text="Talked about the market stall.")
    # A likely duplicate of Amal in the same region: what the duplicates, merge and dismiss pages work on.
    w.duplicate = ParticipantFactory(first_name="Amal", last_name="Yusof", email="amal.yusof@example.net")
    CaseFileFactory(participant=w.duplicate, region=w.north, state=Stage.INTAKE)
    w.membership = Membership.objects.get(user=w.colleague, role=Role.ADVISER)

    # The curriculum: version 1 published (Amal works through it), version 2 a draft being edited.
    w.curriculum = publish_curriculum(w.programme)
    w.progress = curriculum_services.curriculum_start(case=w.case, by=w.adviser)[0]
    w.draft = curriculum_services.curriculum_draft(programme=w.programme, by=w.manager)
    w.draft_module = w.draft.modules.order_by("order").first()
    w.resource = Resource.objects.create(
        module=w.draft_module, title={"en": "Pricing guide"}, url="https://example.org/pricing"
    )

    w.cohort = Cohort.objects.create(region=w.north, name="Spring group", starts_on=TODAY)
    CohortMember.objects.create(cohort=w.cohort, case=w.case)
    w.session = Session.objects.create(
        region=w.north,
        cohort=w.cohort,
        topic="Pricing",
        starts_at=timezone.now() - timedelta(days=1),
        place="Library",
        adviser=w.adviser,
        created_by=w.adviser,
    )

    w.mentor = staff(Role.MENTOR, programme=w.programme, first_name="Nils", last_name="Mentor")
    w.match = mentoring_services.mentor_match(case=w.case, mentor=w.mentor, by=w.adviser)
    mentoring_services.mentor_meeting_log(match_id=w.match.pk, by=w.mentor, date=TODAY, topic="First meeting")

    # A business plan in draft with two versions (so there is something to compare).
    plan_services.plan_save_sections(case=w.case, by=w.participant, sections={"business_idea": "A sewing studio"})
    plan_services.plan_save_sections(
        case=w.case, by=w.adviser, sections={"business_idea": "A sewing studio with repairs"}
    )

    questionnaire = Questionnaire.objects.create(programme=w.programme, name="Health check")
    for order, code in enumerate(["vision", "finance", "marketing"]):
        Area.objects.create(questionnaire=questionnaire, code=code, label=code.title(), order=order)
    w.health_round = health_services.round_open(case=w.case, by=w.adviser, kind=Round.Kind.START)

    # Lending: a loan on Amal's case, decided today, paid out and repaid once; and a second
    # application before the committee (to vote and decide on).
    LendingPolicy.objects.create(programme=w.programme, quorum=2)
    w.product = LoanProduct.objects.create(
        programme=w.programme,
        name="Start-up loan",
        min_amount=Decimal("5000"),
        max_amount=Decimal("100000"),
        annual_rate=Decimal("12"),
        min_term=3,
        max_term=36,
        frequency=LoanProduct.Frequency.MONTHLY,
        interest_method=LoanProduct.InterestMethod.DECLINING,
        amortization=LoanProduct.Amortization.EQUAL_INSTALLMENTS,
    )
    now = timezone.now()
    application = {"case": w.case, "product": w.product, "term": 12, "created_by": w.adviser, "submitted_at": now}
    decided = LoanApplication.objects.create(
        **application,
        amount=Decimal("12000"),
        purpose="A sewing machine",
        assessment="Solid plan.",
        status=ApplicationStatus.APPROVED,
        decided_at=now,
        decided_by=w.committee,
        decision_reasons="Good plan",
    )
    w.day = timezone.localdate(now).isoformat()
    loan = Loan.objects.create(
        application=decided,
        case=w.case,
        product=w.product,
        currency="SEK",
        principal=Decimal("12000"),
        term=12,
        status=LoanStatus.ACCEPTED,
        accepted_at=now,
    )
    loan_services.loan_disburse(
        by=w.lead, loan_id=loan.pk, on=TODAY - timedelta(days=40), method="bank transfer", reference="PAYOUT-1"
    )
    w.loan = Loan.objects.get(pk=loan.pk)
    w.repayment = loan_services.repayment_record(
        by=w.adviser, loan_id=w.loan.pk, amount=Decimal("500"), on=TODAY - timedelta(days=5), method="cash"
    )
    w.application = LoanApplication.objects.create(
        **application,
        amount=Decimal("8000"),
        purpose="Fabric",
        assessment="Second loan.",
        status=ApplicationStatus.SUBMITTED,
    )
    # Public site, Stripe and portfolio objects (their builders sit with their rows, below).
    _savings_group(w)
    _statement(w)
    _online_payment(w)
    _banking_line(w)  # branch: banking
    _banking_payment_file(w)
    w.evaluator = staff(Role.EVALUATOR, programme=w.programme, first_name="Ines", last_name="Evaluator")
    return w


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(matrix_world, db):
    """In this module every test shares the matrix world (a second world would clash with it)."""
    return matrix_world


# How each parameter is filled: with the participant's case and what hangs on it.
PARAMETERS = {
    "pk": lambda w: w.case.pk,
    "case_pk": lambda w: w.case.pk,
    "action_pk": lambda w: w.action.pk,
    "note_pk": lambda w: w.note.pk,
    "region_pk": lambda w: w.north.pk,
    "keep_pk": lambda w: w.case.participant.pk,
    "duplicate_pk": lambda w: w.duplicate.pk,
    "first_pk": lambda w: w.case.participant.pk,
    "second_pk": lambda w: w.duplicate.pk,
    "membership_pk": lambda w: w.membership.pk,
    "progress_pk": lambda w: w.progress.pk,
    "programme_pk": lambda w: w.programme.pk,
    "version": lambda w: w.curriculum.version,
    "module_pk": lambda w: w.draft_module.pk,
    "resource_pk": lambda w: w.resource.pk,
    "match_pk": lambda w: w.match.pk,
    "session_pk": lambda w: w.session.pk,
    "cohort_pk": lambda w: w.cohort.pk,
    "day": lambda w: w.day,
    "entry_pk": lambda w: w.repayment.pk,
    "round_pk": lambda w: w.health_round.pk,
}
STAFF_PAGES = ["staff_detail", "staff_deactivate", "staff_reactivate", "staff_reset_mfa", "staff_role_remove"]
APPLICATION_PAGES = ["application_detail", "application_submit", "vote", "decide"]
LOAN_PAGES = [
    "loan_detail",
    "disburse",
    "repay",
    "payoff",
    "reschedule",
    "write_off",
    "recovery",
    "reverse",
    "receipt",
    "agreement_pdf",
    "my_loan",
    "my_agreement",
]
PARAMETER_OVERRIDES = {
    ("coaching:participant_edit", "pk"): lambda w: w.case.participant.pk,
    **{(name, "pk"): lambda w: w.colleague.pk for name in STAFF_PAGES},
    **{(f"loans:{name}", "pk"): lambda w: w.application.pk for name in APPLICATION_PAGES},
    **{(f"loans:{name}", "pk"): lambda w: w.loan.pk for name in LOAN_PAGES},
}


def _payment(**extra) -> dict:
    return {"amount": "100", "on": str(TODAY), "method": "cash", "reference": "", **extra}


# Views that only take POST: the form a forger would send (valid, so the permission is what stops her).
POST_ONLY = {
    "staff_deactivate": lambda w: {},
    "staff_reactivate": lambda w: {},
    "staff_reset_mfa": lambda w: {},
    "staff_role_remove": lambda w: {},
    "coaching:case_transition": lambda w: {"transition": "withdraw", "reason": "other", "expected_state": "coaching"},
    "coaching:case_check_eligibility": lambda w: {},
    "coaching:note_add": lambda w: {"text": "Forged note"},
    "coaching:next_action_add": lambda w: {"title": "Forged action", "due_date": str(date.today() + timedelta(1))},
    "coaching:next_action_done": lambda w: {},
    "coaching:duplicate_dismiss": lambda w: {},
    "coaching:case_modules_start": lambda w: {},
    "coaching:module_checklist": lambda w: {f"item_{item.pk}": "on" for item in w.progress.module.items.all()},
    "coaching:module_approve": lambda w: {"note": "Forged approval"},
    "coaching:module_return": lambda w: {"note": "Forged return"},
    "coaching:curriculum_edit": lambda w: {},
    "coaching:curriculum_publish": lambda w: {},
    "coaching:curriculum_discard": lambda w: {},
    "coaching:module_move": lambda w: {"direction": "down"},
    "coaching:module_delete": lambda w: {},
    "coaching:resource_add": lambda w: {"title_en": "Forged link", "url": "https://example.org/forged"},
    "coaching:resource_delete": lambda w: {},
    "coaching:mentor_meeting_add": lambda w: {
        f"m{w.match.pk}-date": str(TODAY),
        f"m{w.match.pk}-topic": "Forged meeting",
    },
    "coaching:mentor_match_end": lambda w: {},
    "loans:application_submit": lambda w: {},
    "loans:vote": lambda w: {"choice": "approve", "comment": ""},
    "loans:decide": lambda w: {"decision": "approved", "reasons": "Forged decision"},
    "loans:disburse": lambda w: {"on": str(TODAY), "method": "cash", "reference": "FORGED"},
    "loans:repay": lambda w: _payment(),
    "loans:payoff": lambda w: _payment(),
    "loans:reschedule": lambda w: {"term": "18", "start_date": str(TODAY), "reason": "Forged reschedule"},
    "loans:write_off": lambda w: {"reason": "Forged write-off"},
    "loans:recovery": lambda w: _payment(),
    "loans:reverse": lambda w: {"reason": "Forged reversal"},
    "plans:comment": lambda w: {"section": "business_idea", "text": "Forged comment"},
    "plans:submit": lambda w: {},
    "plans:approve": lambda w: {"move_case": ""},
    "plans:return": lambda w: {"reason": "Forged return"},
    "healthchecks:open": lambda w: {"kind": Round.Kind.MIDWAY},
}


def row(default: int, anonymous: int = 302, **exceptions: int) -> dict[str, int]:
    unknown = set(exceptions) - set(MATRIX_ROLES)
    assert not unknown, f"no such role: {unknown}"
    return {role: exceptions.get(role, default) for role in MATRIX_ROLES if role != "anonymous"} | {
        "anonymous": anonymous
    }


# Read the case: her region's advisers and lead, the programme's manager and administrator.
CASE_READERS = {"adviser": 200, "colleague": 200, "lead": 200, "manager": 200, "administrator": 200}
# Change the case (POST): the assigned adviser and the region lead; the other readers are refused.
CASE_WORKERS = {"adviser": 302, "colleague": 403, "lead": 302, "manager": 403, "administrator": 403}
# A form that changes the case (GET): the same people.
CASE_FORMS = {"adviser": 200, "colleague": 403, "lead": 200, "manager": 403, "administrator": 403}
# Move money and approve changes to a loan: the region lead or the programme manager (four eyes).
LOAN_APPROVERS = {"adviser": 403, "colleague": 403, "lead": 302, "manager": 302, "administrator": 403}
# People who run the regions' sessions and cohorts (the administrator runs accounts, not sessions).
SESSION_STAFF = {"adviser": 200, "colleague": 200, "other_adviser": 200, "lead": 200, "manager": 200}
# Hand-overs, duplicates and merges: the region lead and the programme manager.
REGION_MANAGERS = {"lead": 200, "manager": 200}
CURRICULUM_EDITORS = {"manager": 200, "administrator": 200}
CURRICULUM_EDITS = {"manager": 302, "administrator": 302}

EXPECTED: dict[str, dict[str, int]] = {
    "home": row(302),
    # Staff accounts: the programme's administrator only.
    "staff_list": row(403, administrator=200),
    "staff_invite": row(403, administrator=200),
    "staff_detail": row(403, administrator=200),
    "staff_deactivate": row(403, administrator=302),
    "staff_reactivate": row(403, administrator=302),
    "staff_reset_mfa": row(403, administrator=302),
    "staff_role_remove": row(403, administrator=302),
    # Case files.
    "coaching:caseload": row(403, other_adviser=200, **CASE_READERS),
    "coaching:case_detail": row(404, **CASE_READERS),
    "coaching:case_record": row(404, **CASE_READERS),
    "coaching:case_transition": row(404, **CASE_WORKERS),
    "coaching:case_check_eligibility": row(404, **CASE_WORKERS),
    "coaching:case_assign": row(404, adviser=403, colleague=403, lead=200, manager=200, administrator=403),
    "coaching:note_add": row(404, **CASE_WORKERS),
    "coaching:next_action_add": row(404, **CASE_WORKERS),
    "coaching:next_action_done": row(404, **CASE_WORKERS),
    # Only the author edits her note (within the edit window); the case's workers correct it.
    "coaching:note_edit": row(404, **CASE_FORMS | {"lead": 403}),
    "coaching:note_correct": row(404, **CASE_FORMS),
    "coaching:today": row(403, adviser=200, colleague=200, other_adviser=200, lead=200),
    "coaching:teams": row(403, **REGION_MANAGERS),
    "coaching:hand_over": row(404, **REGION_MANAGERS),
    "coaching:duplicates": row(403, **REGION_MANAGERS),
    "coaching:merge": row(404, **REGION_MANAGERS),
    "coaching:duplicate_dismiss": row(404, lead=302, manager=302),
    "coaching:participant_create": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "coaching:participant_edit": row(404, adviser=200, colleague=403, lead=200, manager=200, administrator=403),
    "coaching:my_page": row(404, participant=200, other_participant=200),
    # A case's modules: readers see them (the list opens on the current module), workers sign off.
    "coaching:case_modules": row(404, **dict.fromkeys(CASE_READERS, 302)),
    "coaching:case_modules_start": row(404, **CASE_WORKERS),
    "coaching:module_detail": row(404, **CASE_READERS),
    "coaching:module_checklist": row(404, **CASE_WORKERS),
    "coaching:module_approve": row(404, **CASE_WORKERS),
    "coaching:module_return": row(404, **CASE_WORKERS),
    # The curriculum editor: the programme's managers and administrators.
    "coaching:curriculum_home": row(403, **CURRICULUM_EDITS),
    "coaching:curriculum": row(404, **CURRICULUM_EDITORS),
    "coaching:curriculum_version": row(404, **CURRICULUM_EDITORS),
    "coaching:curriculum_edit": row(404, **CURRICULUM_EDITS),
    "coaching:curriculum_publish": row(404, **CURRICULUM_EDITS),
    "coaching:curriculum_discard": row(404, **CURRICULUM_EDITS),
    "coaching:module_add": row(404, **CURRICULUM_EDITORS),
    "coaching:module_edit": row(404, **CURRICULUM_EDITORS),
    "coaching:module_move": row(404, **CURRICULUM_EDITS),
    "coaching:module_delete": row(404, **CURRICULUM_EDITS),
    "coaching:resource_add": row(404, **CURRICULUM_EDITS),
    "coaching:resource_delete": row(404, **CURRICULUM_EDITS),
    # Mentoring: the mentor's own page; matching is case work.
    "coaching:mentor_home": row(403, mentor=200),
    "coaching:mentor_meeting_add": row(403, mentor=302),
    "coaching:mentor_match": row(404, **CASE_FORMS),
    "coaching:mentor_match_end": row(404, **CASE_WORKERS),
    # Sessions and cohorts: run by the region's staff; a session of north is not south's business.
    "coaching:session_list": row(403, **SESSION_STAFF),
    "coaching:session_add": row(403, **SESSION_STAFF),
    "coaching:session_attendance": row(404, **CASE_READERS),
    "coaching:session_edit": row(403, **SESSION_STAFF | {"other_adviser": 404}),
    "coaching:cohort_list": row(403, **SESSION_STAFF),
    "coaching:cohort_add": row(403, **SESSION_STAFF),
    "coaching:cohort_edit": row(403, **SESSION_STAFF | {"other_adviser": 404}),
    # Lending.
    "loans:calculator": row(403, committee=200, other_adviser=200, **CASE_READERS),
    "loans:application_new": row(404, **CASE_FORMS),
    "loans:application_detail": row(404, committee=200, **CASE_READERS),
    "loans:application_submit": row(404, committee=403, **CASE_WORKERS),
    "loans:vote": row(404, committee=302, **dict.fromkeys(CASE_READERS, 403)),
    "loans:decide": row(404, committee=302, **dict.fromkeys(CASE_READERS, 403)),
    "loans:committee_queue": row(403, committee=200),
    "loans:minutes": row(403, committee=200, manager=200),
    "loans:loan_detail": row(404, **CASE_READERS),
    "loans:disburse": row(404, **LOAN_APPROVERS),
    "loans:repay": row(404, **LOAN_APPROVERS | {"adviser": 302}),
    "loans:payoff": row(404, **LOAN_APPROVERS | {"adviser": 302}),
    "loans:reschedule": row(404, **LOAN_APPROVERS),
    "loans:write_off": row(404, **LOAN_APPROVERS | {"lead": 403}),
    "loans:recovery": row(404, **LOAN_APPROVERS),
    "loans:reverse": row(404, **LOAN_APPROVERS),
    "loans:receipt": row(404, participant=200, **CASE_READERS),
    "loans:agreement_pdf": row(404, participant=200, **CASE_READERS),
    "loans:my_loan": row(404, participant=200),
    "loans:my_agreement": row(404, participant=200),
    # The business plan. Readers who may not write are sent back to the plan (302) with a message.
    "plans:detail": row(404, **CASE_READERS),
    "plans:edit": row(404, **CASE_FORMS | {"colleague": 302, "manager": 302, "administrator": 302}),
    "plans:budget": row(404, **CASE_FORMS | {"colleague": 302, "manager": 302, "administrator": 302}),
    "plans:compare": row(404, **CASE_READERS),
    "plans:pdf": row(404, **CASE_READERS),
    "plans:comment": row(404, **CASE_WORKERS),
    "plans:submit": row(404, **CASE_WORKERS),
    # Four eyes: the region lead reviews what the adviser submits.
    "plans:approve": row(404, **CASE_WORKERS | {"adviser": 403}),
    "plans:return": row(404, **CASE_WORKERS | {"adviser": 403}),
    "plans:my_detail": row(404, participant=200),
    "plans:my_edit": row(404, participant=200),
    "plans:my_budget": row(404, participant=200),
    "plans:my_compare": row(404, participant=200),
    "plans:my_pdf": row(404, participant=200),
    # Health checks: opened and filled in by the case's workers, or by the participant on her page.
    "healthchecks:open": row(404, **CASE_WORKERS),
    "healthchecks:fill": row(404, **CASE_FORMS),
    "healthchecks:my_fill": row(404, participant=200),
}


# === Rows added by later work, kept together ======================================================
EXPECTED |= {
    # --- outcomes: dashboard, exports, indicators, import (branch: outcomes) ---
    # Dashboard and indicator exports: managers (programme) and advisers/leads (their regions); participant-level
    # exports, indicators and import: managers only (evaluators, not in this world, are tested in tests/outcomes).
    "outcomes:dashboard": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_indicators_csv": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_indicators_xlsx": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:report_pdf": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "outcomes:export_participants_csv": row(403, manager=200),
    "outcomes:export_participants_xlsx": row(403, manager=200),
    "outcomes:indicators": row(403, manager=200),
    "outcomes:social_enterprises": row(403, manager=200),
    "outcomes:indicator_edit": row(403, manager=200),
    "outcomes:import": row(403, manager=200),
    "outcomes:import_map": row(403, manager=302),  # no upload in the session: back to the upload form
    # --- participants: her pages, documents, messages, invitation, check-in (branch: mypath) ---------
    "participants:my_reminders": row(404, participant=302, other_participant=302),
    "participants:my_messages": row(404, participant=200),
    "participants:my_documents": row(404, participant=200),
    "participants:document_download": row(404, participant=200, **CASE_READERS),
    "participants:document_delete": row(404, adviser=302, lead=302),
    "participants:case_invite": row(404, **CASE_WORKERS),
    "participants:case_message": row(404, **CASE_WORKERS),
    "participants:case_document": row(404, **CASE_WORKERS),
    "participants:check_in": row(200, anonymous=200),  # public: the signed token is the key
}


def _mypath_pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _mypath_document(w):
    from participants.services import document_upload

    return document_upload(by=w.adviser, case=w.case, upload=_mypath_pdf("quote.pdf"), kind="quote").pk


def _mypath_check_in_token(w):
    from participants.checkins import make_token
    from participants.models import CheckIn

    return make_token(CheckIn.objects.get_or_create(case=w.case, months=6)[0])


PARAMETERS.setdefault("case_pk", lambda w: w.case.pk)
PARAMETERS |= {"document_pk": _mypath_document, "token": _mypath_check_in_token}
POST_ONLY |= {
    "participants:my_reminders": lambda w: {"email": "on"},
    "participants:document_delete": lambda w: {},
    "participants:case_invite": lambda w: {"email": w.participant.email},
    "participants:case_message": lambda w: {"text": "Forged message"},
    "participants:case_document": lambda w: {"kind": "quote", "file": _mypath_pdf("forged.pdf")},
}
# --- end of participants (branch: mypath) -----------------------------------------------------------


# --- Public site, Stripe, portfolio (branches: cms, stripe, portfolio) -----------------------------
def _savings_group(w):
    from portfolio import services as portfolio_services

    if not hasattr(w, "savings_group"):
        w.savings_group = portfolio_services.savings_group_create(by=w.adviser, region=w.north, name="Matrix savers")
        portfolio_services.savings_member_add(
            by=w.adviser, group_id=w.savings_group.pk, case=w.case, loan_need=Decimal("30000")
        )
        w.savings_entry = portfolio_services.savings_contribute(
            by=w.adviser, group_id=w.savings_group.pk, case_id=w.case.pk, amount=Decimal("500"), on=TODAY
        )
    return w.savings_group


def _savings_entry(w):
    _savings_group(w)
    return w.savings_entry.pk


def _statement(w):
    from portfolio import services as portfolio_services

    if not hasattr(w, "statement"):
        w.statement, _pdf = portfolio_services.statement_issue(
            by=w.adviser, participant=w.case.participant, verify_url="http://testserver/verify/"
        )
    return w.statement


def _online_payment(w):
    from loans.payments.models import OnlinePayment

    if not hasattr(w, "online_payment"):
        w.online_payment = OnlinePayment.objects.create(
            loan=w.loan,
            instalment_number=1,
            amount=Decimal("100"),
            currency=w.loan.currency,
            payment_intent_id="pi_matrix",
            status=OnlinePayment.Status.SUCCEEDED,
            created_by=w.participant,
        )
    return w.online_payment.pk


PARAMETERS |= {"payment_pk": _online_payment, "code": lambda w: _statement(w).code}
PARAMETER_OVERRIDES |= {
    **{
        (f"portfolio:{name}", "pk"): lambda w: _savings_group(w).pk
        for name in ("group_detail", "savings_entry", "savings_reverse", "meeting", "member_add")
    },
    ("portfolio:savings_reverse", "entry_pk"): _savings_entry,
    ("portfolio:statement_revoke", "pk"): lambda w: _statement(w).pk,
    **{(f"loans:{name}", "pk"): lambda w: w.loan.pk for name in ("pay", "pay_card", "pay_status")},
}
POST_ONLY |= {
    "loans:stripe_webhook": lambda w: {},
    "loans:payment_flag_resolve": lambda w: {},
    "portfolio:savings_entry": lambda w: {
        "member": w.case.pk,
        "kind": "contribution",
        "amount": "100",
        "date": str(TODAY),
        "reference": "",
        "note": "",
    },
    "portfolio:meeting": lambda w: {"date": str(TODAY), "note": "Forged meeting"},
    "portfolio:member_add": lambda w: {"case": w.duplicate.cases.first().pk, "loan_need": "10000"},
    "portfolio:savings_reverse": lambda w: {"reason": "Forged"},
    "portfolio:case_statement_issue": lambda w: {},
    "portfolio:statement_revoke": lambda w: {},
}


EXPECTED |= {
    # The public site: everyone.
    "sitemap": row(200, anonymous=200),
    "robots_txt": row(200, anonymous=200),
    "search": row(200, anonymous=200),
    # Paying online: only the borrower; the webhook answers Stripe's signature, not a session (400 unsigned).
    "loans:pay": row(404, participant=200),
    "loans:pay_card": row(404, participant=200),
    "loans:pay_status": row(404, participant=200),
    "loans:stripe_webhook": row(400, anonymous=400),
    # Reconciliation and flagged payments: the programme manager.
    "loans:reconciliation": row(403, manager=200),
    "loans:payment_flags": row(403, manager=200),
    "loans:payment_flag_resolve": row(403, manager=302),
    # Portfolio figures: the programme manager and region leads (their region).
    "portfolio:portfolio": row(403, lead=200, manager=200),
    # Savings groups: the region's advisers and lead keep them; the manager reads; others never.
    "portfolio:group_list": row(403, adviser=200, colleague=200, other_adviser=200, lead=200, manager=200),
    "portfolio:group_detail": row(404, adviser=200, colleague=200, lead=200, manager=200),
    "portfolio:savings_entry": row(404, adviser=302, colleague=302, lead=302, manager=403),
    "portfolio:savings_reverse": row(404, adviser=302, colleague=302, lead=302, manager=403),
    "portfolio:meeting": row(404, adviser=302, colleague=302, lead=302, manager=403),
    "portfolio:member_add": row(404, adviser=302, colleague=302, lead=302, manager=403),
    # Credit statements: she downloads her own; her adviser, the lead or the manager issue and revoke.
    "portfolio:my_credit_history": row(404, participant=200, other_participant=200),
    "portfolio:case_statement_issue": row(404, adviser=200, colleague=403, lead=200, manager=200, administrator=403),
    "portfolio:statement_revoke": row(404, adviser=302, colleague=403, lead=302, manager=302, administrator=403),
    # Follow-up visits: the assigned adviser or the lead record them.
    "portfolio:follow_up_new": row(404, adviser=200, colleague=403, lead=200, manager=403, administrator=403),
    # Anyone may check a statement's code (rate-limited); the answer names no more than valid or not.
    "portfolio:verify": row(200, anonymous=200),
    "portfolio:verify_code": row(200, anonymous=200),
}


# --- Bank transfers and accounting (branch: banking) ------------------------------------------------
def _banking_line(w):
    from banking.models import BankStatement, LineStatus, StatementLine

    if not hasattr(w, "bank_line"):
        statement = BankStatement.objects.create(
            programme=w.programme, format="csv", file_name="matrix.csv", sha256="0" * 64, imported_by=w.manager
        )
        w.bank_line = StatementLine.objects.create(
            statement=statement,
            programme=w.programme,
            index=1,
            direction="CRDT",
            amount=Decimal("100"),
            currency="SEK",
            booking_date=TODAY,
            bank_reference="MATRIX-1",
            status=LineStatus.WAITING,
            reason="No reference",
        )
    return w.bank_line


def _banking_payment_file(w):
    from banking.models import PaymentFile

    if not hasattr(w, "payment_file"):
        w.payment_file = PaymentFile.objects.create(
            programme=w.programme,
            message_id="NEEM-MATRIX",
            execution_date=TODAY,
            number_of_transactions=0,
            control_sum=Decimal("0"),
            currency="SEK",
            xml="<Document/>",
            created_by=w.manager,
        )
    return w.payment_file.pk


def _banking_upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("forged.csv", b"booking_date,amount,bank_reference\n2026-02-01,100,FORGED-1\n")


PARAMETER_OVERRIDES |= {
    ("banking:statement_detail", "pk"): lambda w: _banking_line(w).statement_id,
    ("banking:line_assign", "pk"): lambda w: _banking_line(w).pk,
    ("banking:line_reject", "pk"): lambda w: _banking_line(w).pk,
    ("banking:payout_account", "pk"): lambda w: w.loan.pk,
    ("banking:payment_file_download", "pk"): _banking_payment_file,
}
POST_ONLY |= {
    "banking:line_assign": lambda w: {"loan": w.loan.pk, "note": "Forged assignment"},
    "banking:line_reject": lambda w: {"note": "Forged rejection"},
    "banking:payout_account": lambda w: {"holder_name": "Forged", "iban": "SE4550000000058398257466"},
}
# Only the programme's managers handle its bank statements, payouts and accounting exports.
EXPECTED |= {
    "banking:statement_list": row(403, manager=200),
    "banking:statement_import": row(403, manager=200),
    "banking:statement_detail": row(403, manager=200),
    "banking:queue": row(403, manager=200),
    "banking:line_assign": row(403, manager=302),
    "banking:line_reject": row(403, manager=302),
    "banking:payouts": row(403, manager=200),
    "banking:payout_account": row(403, manager=302),
    "banking:payment_file_download": row(403, manager=200),
    "banking:ledger_export": row(403, manager=200),
}
# --- end of banking ----------------------------------------------------------------------------------
# --- bench (branch bench): the empty page `manage.py bench` measures the others against ---------------
EXPECTED |= {
    "perf:empty": row(200),
}


def _outcomes_indicator(w) -> int:
    from outcomes.models import Indicator

    indicator, _created = Indicator.objects.get_or_create(
        programme=w.programme, code="matrix", defaults={"kind": "mobilised", "label": "Mobilised", "target_min": 1}
    )
    return indicator.pk


PARAMETER_OVERRIDES[("outcomes:indicator_edit", "pk")] = _outcomes_indicator


# --- Personal data: consents, export, erasure, access log, her own export (branch: privacy) ---------------
def _privacy_text(w):
    from privacy.models import ConsentText

    return ConsentText.objects.get_or_create(
        programme=w.programme, purpose="programme", language="en", version="matrix", defaults={"text": "I agree."}
    )[0]


def _privacy_consent(w) -> int:
    from privacy.models import ConsentRecord

    return ConsentRecord.objects.get_or_create(
        participant=w.case.participant, purpose="programme", withdrawn_at=None, defaults={"text": _privacy_text(w)}
    )[0].pk


PARAMETERS |= {"consent_pk": _privacy_consent}
POST_ONLY |= {
    # The manager's erasure is refused (400) because Amal's loan is still running: nothing changes.
    "privacy:erase": lambda w: {"reason": "Forged erasure", "confirm": w.case.participant.full_name},
    "privacy:consent_add": lambda w: {"text": _privacy_text(w).pk},
    "privacy:consent_withdraw": lambda w: {},
}
# The personal-data page: whoever works on the case (consents), exports (region lead, manager) or erases (manager).
PRIVACY_PAGE = {"adviser": 200, "colleague": 403, "lead": 200, "manager": 200, "administrator": 403}
EXPECTED |= {
    "privacy:case_privacy": row(404, **PRIVACY_PAGE),
    "privacy:export_json": row(404, **PRIVACY_PAGE | {"adviser": 403}),
    "privacy:export_pdf": row(404, **PRIVACY_PAGE | {"adviser": 403}),
    "privacy:erase": row(404, **dict.fromkeys(PRIVACY_PAGE, 403) | {"manager": 400}),
    "privacy:consent_add": row(404, **CASE_WORKERS),
    "privacy:consent_withdraw": row(404, **CASE_WORKERS),
    "privacy:access_log": row(403, manager=200),
    "privacy:my_data_json": row(404, participant=200, other_participant=200),
    "privacy:my_data_pdf": row(404, participant=200, other_participant=200),
}
# --- end of personal data (branch: privacy) ------------------------------------------------------------


def test_every_url_has_a_row():
    missing = sorted({name for name, _route, _params in URLS} - set(EXPECTED))
    assert not missing, f"URL patterns without a row in EXPECTED (say who may reach them): {missing}"
    stale = sorted(set(EXPECTED) - {name for name, _route, _params in URLS})
    assert not stale, f"Rows in EXPECTED for URL patterns that no longer exist: {stale}"


def test_the_walk_found_the_project_urls():
    # If the walk breaks (e.g. a prefix rule swallows everything), the matrix would pass vacuously.
    names = {name for name, _route, _params in URLS}
    assert {"home", "coaching:case_detail", "coaching:next_action_done", "coaching:my_page"} <= names
    assert not any(name.startswith(("wagtail", "account_", "admin:")) for name in names)


def build_url(world, name: str, params: list[str]) -> str:
    kwargs = {}
    for param in params:
        fill = PARAMETER_OVERRIDES.get((name, param)) or PARAMETERS.get(param)
        if fill is None:
            pytest.fail(f"No way to fill the parameter {param!r} of {name!r}: add it to PARAMETERS")
        kwargs[param] = fill(world)
    return reverse(name, kwargs=kwargs)


def snapshot(world) -> dict:
    """What a refused request must leave as it was: the case and everything hanging on it."""
    case = CaseFile.objects.get(pk=world.case.pk)
    loan = Loan.objects.get(pk=world.loan.pk)
    return {
        "case": (case.state, case.adviser_id, case.region_id, case.eligibility_checked_at),
        "participant": Participant.objects.filter(pk=case.participant_id).values().get(),
        "events": CaseEvent.objects.filter(case=case).count(),
        "notes": list(Note.objects.filter(case=case).values_list("pk", "text")),
        "open actions": NextAction.objects.filter(case=case, done_at__isnull=True).count(),
        "participants": Participant.objects.filter(merged_into__isnull=True).count(),
        "dismissals": DuplicateDismissal.objects.count(),
        "staff": list(Membership.objects.values_list("pk", "user__is_active")),
        "users": User.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "audit": AuditEvent.objects.count(),
        "module progress": list(ModuleProgress.objects.filter(case=case).values_list("pk", "status")),
        "item checks": ItemCheck.objects.filter(progress__case=case).count(),
        "curricula": list(Curriculum.objects.values_list("pk", "version", "published_at")),
        "modules": list(Module.objects.values_list("pk", "order", "title", "mandatory")),
        "resources": Resource.objects.count(),
        "matches": list(MentorMatch.objects.values_list("pk", "ended_on")),
        "meetings": MentorMeeting.objects.count(),
        "sessions": list(Session.objects.values_list("pk", "topic", "starts_at", "attendance_taken_at")),
        "attendance": Attendance.objects.count(),
        "cohorts": list(Cohort.objects.values_list("pk", "name")),
        "cohort members": CohortMember.objects.count(),
        "plans": list(BusinessPlan.objects.values_list("pk", "status")),
        "plan versions": PlanVersion.objects.count(),
        "plan comments": SectionComment.objects.count(),
        "health rounds": list(Round.objects.values_list("pk", "taken_at")),
        "health scores": Score.objects.count(),
        "applications": list(LoanApplication.objects.values_list("pk", "status")),
        "votes": Vote.objects.count(),
        "loan": (loan.status, loan.schedule_version, loan.closed_on),
        "ledger entries": LedgerEntry.objects.count(),
        "reschedules": Reschedule.objects.count(),
        # Every other table of ours: a refused request adds or removes no row anywhere.
        "rows": _row_counts(),
    }


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    # Every app of this repository (a new app is counted without anyone listing it), but the logs that record
    # a request whatever its outcome: the API's call log, who opened personal data, the figures' data version.
    root = Path(settings.BASE_DIR)
    ours = {
        app.label
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(root) and "site-packages" not in Path(app.path).parts
    }
    logs = {"api.ApiCall", "privacy.AccessLog", "perf.DataVersion", "perf.TaskRun"}
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in ours and not model._meta.proxy and model._meta.label not in logs
    ]
    # One query for every table (the matrix takes this snapshot thousands of times).
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
        cursor.execute("SELECT " + counts)
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize(("name", "route", "params"), URLS, ids=[name for name, _r, _p in URLS])
def test_url_as_role(world, client_for, name, route, params, role):
    expected_row = EXPECTED.get(name)
    if expected_row is None:
        pytest.fail(f"URL pattern {name!r} ({route}) has no row in EXPECTED: add the status every role gets")
    expected = expected_row[role]
    url = build_url(world, name, params)
    client = client_for(getattr(world, role))
    # The forged form first: building it may create what it refers to (e.g. a consent text), which is not
    # the request's doing.
    data = POST_ONLY[name](world) if name in POST_ONLY else None
    before = snapshot(world) if expected in (403, 404) else None

    if name in POST_ONLY:
        response = client.post(url, data)
    else:
        response = client.get(url)

    assert response.status_code == expected, f"{role} on {url}: {response.status_code}, expected {expected}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    if expected in (403, 404):
        body = response.content.decode()
        assert world.case.participant.phone not in body
        assert "Yusuf" not in body
        assert snapshot(world) == before, "a refused request changed the case"


# Views that show a form on GET and act on POST: a refused GET must be a refused POST, with the
# form a forger would send. (POST_ONLY views are already posted to above.)
FORM_POSTS = {
    "staff_invite": lambda w: {
        "email": "forged@example.org",
        "first_name": "Forged",
        "last_name": "Staff",
        "programme": w.programme.pk,
        "role": Role.ADVISER,
        "region": w.north.pk,
    },
    "coaching:case_assign": lambda w: {"adviser": w.colleague.pk, "note": "Forged"},
    "coaching:participant_edit": lambda w: {"first_name": "Forged", "last_name": "Name", "consent": "on"},
    "coaching:note_edit": lambda w: {"text": "Forged edit"},
    "coaching:note_correct": lambda w: {"text": "Forged correction"},
    "coaching:hand_over": lambda w: {"cases": [w.case.pk], "to_advisers": [w.colleague.pk], "balance": ""},
    "coaching:merge": lambda w: {f"winner_{w.programme.pk}": "duplicate"},
    "coaching:module_add": lambda w: {
        "title_en": "Forged module",
        "duration_days": "14",
        **{f"items-{key}": value for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()},
    },
    "coaching:module_edit": lambda w: {
        "title_en": "Forged title",
        "duration_days": "14",
        **{f"items-{key}": value for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()},
    },
    "coaching:mentor_match": lambda w: {"mentor": w.mentor.pk},
    "coaching:session_add": lambda w: {
        "region": w.north.pk,
        "kind": "group",
        "topic": "Forged session",
        "starts_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "Library",
        "adviser": w.adviser.pk,
    },
    "coaching:session_edit": lambda w: {
        "region": w.north.pk,
        "kind": "group",
        "topic": "Forged topic",
        "starts_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "Library",
        "adviser": w.adviser.pk,
    },
    "coaching:session_attendance": lambda w: {f"case_{w.case.pk}": "present"},
    "coaching:cohort_add": lambda w: {"region": w.north.pk, "name": "Forged cohort", "starts_on": str(TODAY)},
    "coaching:cohort_edit": lambda w: {"region": w.north.pk, "name": "Forged name", "starts_on": str(TODAY)},
    "loans:application_new": lambda w: {
        "product": w.product.pk,
        "amount": "9000",
        "term": "12",
        "purpose": "Forged",
        "assessment": "Forged",
    },
    "loans:my_agreement": lambda w: {"confirm": "on", "password": PASSWORD},
    "plans:edit": lambda w: {"business_idea": "Forged idea"},
    "plans:my_edit": lambda w: {"business_idea": "Forged idea"},
    "healthchecks:fill": lambda w: {f"area_{area.pk}": "3" for area in w.health_round.questionnaire.areas.all()},
    "healthchecks:my_fill": lambda w: {f"area_{area.pk}": "3" for area in w.health_round.questionnaire.areas.all()},
}
# Bank transfers (branch: banking): a forged statement upload and payment file.
FORM_POSTS |= {
    "banking:statement_import": lambda w: {"programme": w.programme.pk, "file": _banking_upload(w)},
    "banking:payouts": lambda w: {"programme": w.programme.pk, "execution_date": str(TODAY), "loans": [w.loan.pk]},
}
# Refusals that are not the GET's status: readers who may not write are sent back to the plan, and
# the administrator reads a session's attendance but does not take it.
POST_REFUSALS = {
    **{
        (name, role): 302
        for name in ("plans:edit", "plans:budget")
        for role in ("colleague", "manager", "administrator")
    },
    ("coaching:session_attendance", "administrator"): 403,
}


def _refused_posts():
    for name, _route, params in URLS:
        if name not in FORM_POSTS and name not in ("plans:budget", "plans:my_budget"):
            continue
        for role in MATRIX_ROLES:
            status = POST_REFUSALS.get((name, role), EXPECTED.get(name, {}).get(role))
            if status in (403, 404) or (name, role) in POST_REFUSALS or role == "anonymous":
                yield pytest.param(name, params, role, status, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "params", "role", "expected"), list(_refused_posts()))
def test_a_refused_form_is_refused_when_posted(world, client_for, name, params, role, expected):
    url = build_url(world, name, params)
    data = FORM_POSTS[name](world) if name in FORM_POSTS else {}
    before = snapshot(world)

    response = client_for(getattr(world, role)).post(url, data)

    assert response.status_code == expected, f"{role} posting to {url}: {response.status_code}, expected {expected}"
    assert world.case.participant.phone not in response.content.decode()
    assert snapshot(world) == before, f"{role} changed something by posting to {url}"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("coaching:case_assign", "lead"),
        ("coaching:note_edit", "adviser"),
        ("coaching:session_attendance", "colleague"),
        ("coaching:cohort_add", "manager"),
        ("plans:edit", "adviser"),
        ("healthchecks:fill", "lead"),
        ("staff_invite", "administrator"),
    ],
)
def test_the_forged_forms_are_valid(world, client_for, name, role):
    """The forged forms must pass validation, or the test above would prove nothing: as the people
    allowed, they change something."""
    params = next(p for n, _r, p in URLS if n == name)
    before = snapshot(world)

    response = client_for(getattr(world, role)).post(build_url(world, name, params), FORM_POSTS[name](world))

    assert response.status_code == 302, response.status_code
    assert snapshot(world) != before, f"{name} as {role} changed nothing: is the forged form valid?"


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_views_refuse_get(world, client_for, name):
    params = next(p for n, _r, p in URLS if n == name)
    response = client_for(world.adviser).get(build_url(world, name, params))
    assert response.status_code == 405


def test_a_participant_sees_only_her_own_page(world, client_for):
    body = client_for(world.other_participant).get("/my/").content.decode()
    assert "Rania" in body
    assert "Yusuf" not in body
    assert world.adviser.email not in body


# --- The admins ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["participant", "committee", "adviser", "manager"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/coaching/casefile/", "/cms-admin/", "/cms-admin/pages/"])
def test_people_without_admin_rights_cannot_reach_the_admins(world, client_for, who, url):
    client = client_for(getattr(world, who))

    response = client.get(url, follow=True)

    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    assert response.status_code == 403 or final.startswith("/accounts/login/"), (response.status_code, final)
    assert "Yusuf" not in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/", "/cms-admin/"])
def test_anonymous_admin_visit_ends_on_the_allauth_login(world, client_for, url):
    response = client_for(None).get(url, follow=True)

    assert response.status_code == 200
    assert unquote(response.redirect_chain[-1][0]) == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/admin/login/", "/cms-admin/login/"])
def test_admin_login_pages_redirect_to_allauth(client, url):
    response = client.get(url + "?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_staff_administrator_reaches_the_django_admin(world, client_for):
    assert client_for(world.administrator).get("/admin/").status_code == 200


def test_an_action_of_another_case_cannot_be_completed_through_a_case_she_may_work_on(world, client_for):
    foreign = NextActionFactory(case=world.other_case)

    response = client_for(world.adviser).post(f"/cases/{world.case.pk}/actions/{foreign.pk}/done/")

    assert response.status_code == 404
    assert NextAction.objects.get(pk=foreign.pk).done_at is None


# --- Rules the matrix cannot show with one object per parameter ---------------------------------


def test_a_mentor_cannot_log_a_meeting_with_someone_elses_mentee(world, client_for):
    other_mentor = staff(Role.MENTOR, programme=world.programme, first_name="Olga", last_name="Mentor")

    response = client_for(other_mentor).post(
        f"/mentor/matches/{world.match.pk}/meetings/", POST_ONLY["coaching:mentor_meeting_add"](world)
    )

    assert response.status_code == 404
    assert MentorMeeting.objects.filter(match=world.match).count() == 1


def test_the_committee_does_not_see_a_draft_application(world, client_for):
    draft = LoanApplication.objects.create(
        case=world.case,
        product=world.product,
        amount=Decimal("6000"),
        term=6,
        purpose="Draft",
        assessment="Draft",
        created_by=world.adviser,
    )

    response = client_for(world.committee).get(f"/loans/applications/{draft.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["colleague", "manager", "administrator", "lead"])
def test_only_the_assigned_adviser_and_the_lead_read_a_confidential_note(world, client_for, role):
    secret = Note.objects.create(case=world.case, author=world.adviser, text="Secret matter", confidential=True)

    page = client_for(getattr(world, role)).get(f"/cases/{world.case.pk}/").content.decode()
    edit = client_for(getattr(world, role)).get(f"/cases/{world.case.pk}/notes/{secret.pk}/correct/")

    if role == "lead":
        assert "Secret matter" in page
        assert edit.status_code == 200
    else:
        assert "Secret matter" not in page
        assert edit.status_code == 404


# --- REST API and its tokens (branch: api) ---------------------------------------------------------
# The API answers tokens, not sessions: a logged-in browser gets the same 401 JSON as anyone without a
# token (the table of each endpoint x each role's token is tests/api/test_endpoint_table.py). The schema
# and the docs are public; the token pages are the programme administrator's.
API_ENDPOINTS = [
    "participant_list",
    "participant_detail",
    "case_list",
    "case_create",
    "case_detail",
    "case_transition",
    "session_list",
    "session_create",
    "session_detail",
    "loan_list",
    "loan_detail",
    "loan_schedule",
    "repayment_create",
    "indicator_list",
]
EXPECTED |= {
    **{f"api:v1:{name}": row(401, anonymous=401) for name in API_ENDPOINTS},
    # PUT only: the matrix's GET is not allowed, before any authentication.
    "api:v1:session_attendance": row(405, anonymous=405),
    "api:v1:openapi-json": row(200, anonymous=200),
    "api:v1:openapi-view": row(200, anonymous=200),
    "api:v1:api-root": row(404, anonymous=404),
    "api:token_list": row(403, administrator=200),
    "api:token_create": row(403, administrator=200),
    "api:token_revoke": row(403, administrator=302),
    "api:call_list": row(403, administrator=200),
}
PARAMETERS |= {
    "participant_id": lambda w: w.case.participant.pk,
    "case_id": lambda w: w.case.pk,
    "session_id": lambda w: w.session.pk,
    "loan_id": lambda w: w.loan.pk,
}


def _api_token(w) -> int:
    from api import services as api_services

    # A fresh one per test: each test's savepoint rolls back what the one before created.
    return api_services.token_create(
        by=w.administrator, programme=w.programme, user=w.adviser, name="Matrix", scopes=["read"]
    ).token.pk


PARAMETER_OVERRIDES[("api:token_revoke", "pk")] = _api_token
POST_ONLY |= {
    "api:v1:case_create": lambda w: {"region_id": w.north.pk},
    "api:v1:case_transition": lambda w: {"transition": "withdraw", "reason": "other"},
    "api:v1:session_create": lambda w: {"region_id": w.north.pk, "topic": "Forged", "starts_at": str(TODAY)},
    "api:v1:repayment_create": lambda w: {"amount": "100.00", "on": str(TODAY)},
    "api:token_revoke": lambda w: {},
}
FORM_POSTS["api:token_create"] = lambda w: {
    "programme": w.programme.pk,
    "name": "Forged",
    "user": w.adviser.pk,
    "scopes": ["read", "write", "repayments"],
    "days": "30",
}
# --- end of REST API (branch: api) ------------------------------------------------------------------
# === Rows and forged forms added by the review (branch: hardening) =================================
# The evaluator reads the programme's outcomes, anonymised, and nothing else: every other row keeps
# its default (403/404, or the login redirect of `home`).
for _name in (
    "outcomes:dashboard",
    "outcomes:export_indicators_csv",
    "outcomes:export_indicators_xlsx",
    "outcomes:report_pdf",
    "outcomes:export_participants_csv",
    "outcomes:export_participants_xlsx",
):
    EXPECTED[_name]["evaluator"] = 200


def _hardening_upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# Views that show a form on GET and act on POST, which the review found without a forged POST.
FORM_POSTS |= {
    "coaching:participant_create": lambda w: {
        "region": w.north.pk,
        "first_name": "Forged",
        "last_name": "Person",
        "email": "forged.person@example.org",
        "gender": "woman",
        "residence_permit": "citizen",
        "preferred_language": "sv",
        "education": "university",
        "employment_status": "unemployed",
        "household_adults": "1",
        "household_children": "0",
        "referral_source": "workshop",
        "consent": "on",
        "create_anyway": "on",
    },
    "loans:pay": lambda w: {"choice": "other", "other_amount": "100", "nonce": "forged-nonce-1"},
    "portfolio:follow_up_new": lambda w: {"date": str(TODAY), "company_status": "running", "note": "Forged visit"},
    "portfolio:group_list": lambda w: {"name": "Forged group", "region": w.north.pk},
    "outcomes:indicators": lambda w: {
        "kind": "mobilised",
        "label": "Forged indicator",
        "unit": "count",
        "target_min": "1",
        "order": "1",
        "active": "on",
    },
    "outcomes:indicator_edit": lambda w: {
        "kind": "mobilised",
        "label": "Forged label",
        "unit": "count",
        "target_min": "2",
        "order": "1",
        "active": "on",
    },
    "outcomes:social_enterprises": lambda w: {"social": [w.case.pk]},
    "outcomes:import": lambda w: {
        "file": _hardening_upload("people.csv", b"first_name,last_name,email\nForged,Person,forged@example.org\n")
    },
    "outcomes:import_map": lambda w: {"action": "apply"},
    "participants:my_messages": lambda w: {"text": "Forged message"},
    "participants:my_documents": lambda w: {"kind": "quote", "file": _mypath_pdf("forged.pdf")},
}

REVIEW_FORMS = (
    "coaching:participant_create",
    "loans:pay",
    "portfolio:follow_up_new",
    "portfolio:group_list",
    "outcomes:indicators",
    "outcomes:indicator_edit",
    "outcomes:social_enterprises",
    "outcomes:import",
    "outcomes:import_map",
    "participants:my_messages",
    "participants:my_documents",
)


@pytest.mark.parametrize(
    ("name", "params", "role", "expected"), [p for p in _refused_posts() if p.values[0] in REVIEW_FORMS]
)
def test_a_refused_form_of_the_review_is_refused_when_posted(world, client_for, name, params, role, expected):
    test_a_refused_form_is_refused_when_posted(world, client_for, name, params, role, expected)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("coaching:participant_create", "adviser"),
        ("portfolio:follow_up_new", "adviser"),
        ("portfolio:group_list", "adviser"),
        ("outcomes:indicators", "manager"),
        ("participants:my_messages", "participant"),
        ("participants:my_documents", "participant"),
    ],
)
def test_the_forged_forms_of_the_review_are_valid(world, client_for, name, role):
    test_the_forged_forms_are_valid(world, client_for, name, role)


def test_the_evaluator_export_names_nobody(world, client_for):
    client = client_for(world.evaluator)
    for url in ("/outcomes/", "/outcomes/export/participants.csv", "/outcomes/export/indicators.csv"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"Yusuf" not in body and b"Amal" not in body, url
        assert world.adviser.last_name.encode() not in body, url


# --- end of the review (branch: hardening) ---------------------------------------------------------
