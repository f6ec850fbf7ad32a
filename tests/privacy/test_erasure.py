"""Erasure: a participant spread over every app is erased, and no text column of any table still names her."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from coaching import services as coaching_services
from coaching.errors import NotAllowed, Refused
from coaching.mentoring_models import MentorMatch, MentorMeeting
from coaching.models import CaseEvent, CaseFile, Participant
from coaching.session_models import Session
from loans import services as loan_services
from loans.models import LedgerEntry, Loan
from loans.payments.models import StripeEvent
from neem.models import AuditEvent
from participants import services as participant_services
from participants.models import CheckIn, Document, Message, ReminderLog
from portfolio import services as portfolio_services
from privacy import services
from privacy.models import AccessLog, Erasure
from tests.loans.lending_world import lending_world

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zenobia", "Quillfeather"
FULL = f"{FIRST} {LAST}"
EMAIL = "zenobia.quill@example.org"
PHONE = "+46701234599"
# What the search looks for: her names, her address, the significant digits of her phone number.
WORDS = [FIRST, LAST, EMAIL, "701234599"]
BYTEA = 17  # PostgreSQL's type OID for binary columns


def find_everywhere(words) -> set[tuple[str, str, str]]:
    """(table, column, word) for every column of every table of the database whose text contains a word."""
    hits = set()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                as_text = f"CAST({quoted_column} AS TEXT)"
                if connection.vendor == "postgresql" and column.type_code == BYTEA:
                    as_text = f"encode({quoted_column}, 'escape')"  # bytea as text is hex: read its bytes
                for word in words:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quoted_table} "  # noqa: S608 - names from the introspection
                        f"WHERE UPPER({as_text}) LIKE UPPER(%s)",
                        [f"%{word}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.add((table, column.name, word))
    return hits


def _story(case):
    from cms.models import ConsentGrant, ConsentUse, StoryConsent, StoryPage

    consent = StoryConsent.objects.create(person_name=FULL, case=case, record="Signed form, binder 3")
    for use in ConsentUse.values:
        ConsentGrant.objects.create(consent=consent, use=use, expires_on=timezone.localdate() + timedelta(days=365))
    root = Page.get_first_root_node()
    story = StoryPage(
        title=f"{FULL} bakes for the whole street",
        slug="zenobia-bakes",
        alias=FIRST,
        real_name=FULL,
        business=f"{LAST} Bakery",
        quote=f"I am {FIRST} and I bake.",
        consent=consent,
    )
    Page.objects.get(pk=root.pk).add_child(instance=story)
    story.save_revision().publish()
    return story


@pytest.fixture
def spread(django_capture_on_commit_callbacks):
    """A borrower whose loan is repaid, named in every corner of Neem."""
    w = lending_world()
    case = w.case
    participant = case.participant
    user = w.borrower_user
    type(user).objects.filter(pk=user.pk).update(email=EMAIL, first_name=FIRST, last_name=LAST)
    user.refresh_from_db()
    user.emailaddress_set.update(email=EMAIL)
    # Her details edited twice by her adviser: two history rows carry her name and number.
    coaching_services.participant_update(
        by=w.adviser,
        participant=participant,
        data={"first_name": FIRST, "last_name": LAST, "email": EMAIL, "country_of_birth": "Eritrea"},
    )
    coaching_services.participant_update(by=w.adviser, participant=participant, data={"phone": PHONE})
    participant = Participant.objects.get(pk=participant.pk)
    # A duplicate record of her, merged into this one.
    Participant.objects.create(first_name=FIRST, last_name=LAST, email=EMAIL, merged_into=participant)

    # Notes (one confidential, one edited), the timeline, a next action, a session, mentoring.
    note = coaching_services.note_add(case=case, by=w.adviser, text=f"Met {FULL}; call her on {PHONE}.")
    coaching_services.note_edit(note_id=note.pk, by=w.adviser, text=f"Met {FULL} at the library; {PHONE}.")
    coaching_services.note_add(case=case, by=w.adviser, text=f"{FIRST} is worried about rent.", confidential=True)
    coaching_services.next_action_add(
        case=case, by=w.adviser, title=f"Call {FIRST} back", due_date=timezone.localdate() + timedelta(days=3)
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, note=f"{FULL} came by", data={"to": EMAIL})
    Session.objects.create(
        region=w.north,
        kind="individual",
        case=case,
        topic=f"Budget with {FIRST}",
        starts_at=timezone.now(),
        adviser=w.adviser,
        created_by=w.adviser,
    )
    match = MentorMatch.objects.create(mentor=w.adviser2, case=case, created_by=w.adviser)
    MentorMeeting.objects.create(match=match, date=timezone.localdate(), topic=f"Prices for {FIRST}", note=FULL)

    # Her page: a message, a document whose name and content carry her name, reminders, a check-in.
    participant_services.message_post(by=w.adviser, case=case, text=f"Hello {FIRST}, see you on Monday.")
    upload = SimpleUploadedFile(f"{FULL} passport.pdf", f"%PDF-1.4 {FULL}".encode(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document = participant_services.document_upload(by=w.adviser, case=case, upload=upload, kind="id")
    ReminderLog.objects.create(kind="instalment_due", key="instalment:1", channel="email", case=case, recipient=EMAIL)
    ReminderLog.objects.create(kind="instalment_due", key="instalment:1", channel="sms", recipient=PHONE)
    CheckIn.objects.create(case=case, months=6, answered_at=timezone.now(), other=f"{FIRST} works at a café")

    # A loan: asked for in her name, voted on, accepted (the agreement names her), paid out, repaid in full.
    application = loan_services.application_create(
        by=w.adviser,
        case=case,
        product=w.product,
        amount=Decimal("12000"),
        term=12,
        purpose=f"An oven for {FIRST}'s bakery",
        assessment=f"{FULL} knows her trade.",
    )
    loan_services.application_submit(by=w.adviser, application_id=application.pk)
    loan_services.vote_cast(by=w.committee, application_id=application.pk, choice="approve", comment=f"Go {FIRST}")
    loan_services.vote_cast(by=w.committee2, application_id=application.pk, choice="approve")
    loan_services.application_decide(
        by=w.committee, application_id=application.pk, decision="approved", reasons=f"{LAST} has a good plan"
    )
    loan = Loan.objects.get(application_id=application.pk)
    loan_services.agreement_accept(
        by=user, loan_id=loan.pk, password="pw-123456789", pdf_bytes=f"%PDF-1.7 agreement with {FULL}".encode()
    )
    loan_services.loan_disburse(by=w.lead, loan_id=loan.pk, on=date(2026, 1, 15), method="bank", reference="P-1")
    loan_services.repayment_record(
        by=w.adviser, loan_id=loan.pk, amount=Decimal("1000"), on=date(2026, 2, 15), note=f"Cash from {FIRST}"
    )
    loan_services.early_payoff(by=w.lead, loan_id=loan.pk, on=date(2026, 3, 1), method="bank")
    StripeEvent.objects.create(
        event_id="evt_zen", type="charge.refunded", payload={"data": {"object": {"receipt_email": EMAIL}}}
    )

    # Savings, the admin's log, a queued task, the staff audit, the access log.
    group = portfolio_services.savings_group_create(by=w.adviser, region=w.north, name="Bakers")
    portfolio_services.savings_member_add(by=w.adviser, group_id=group.pk, case=case, loan_need=Decimal("12000"))
    portfolio_services.savings_contribute(
        by=w.adviser,
        group_id=group.pk,
        case_id=case.pk,
        amount=Decimal("300"),
        on=date(2026, 1, 5),
        note=f"From {FIRST}",
    )
    LogEntry.objects.create(
        user=w.admin,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participant.pk),
        object_repr=FULL,
        action_flag=ADDITION,
        change_message="[]",
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="participants.tasks.send_reminder",
        queue_name="default",
        backend_name="default",
        priority=0,
        args_kwargs={"args": [], "kwargs": {"to": EMAIL, "context": {"name": FULL}}},
        status="SUCCESSFUL",
        worker_ids=[],
        return_value=True,
    )
    AuditEvent.objects.create(actor=w.admin, action="merged", subject=user, data={"name": FULL, "email": EMAIL})
    services.log_access(user=w.lead, case=case, action=AccessLog.Action.DOWNLOAD, detail=f"{FULL} passport.pdf")

    # Her business plan and a comment on it name her too.
    from plans.models import PlanVersion, SectionComment

    version = PlanVersion.objects.filter(plan__case=case).latest("number")
    PlanVersion.objects.filter(pk=version.pk).update(sections={"business_idea": f"{FULL}'s bakery in Rinkeby"})
    SectionComment.objects.create(version=version, section="business_idea", author=w.lead, text=f"Ask {FIRST}")

    story = _story(case)
    w.case, w.participant, w.user, w.loan, w.document, w.story = case, participant, user, loan, document, story
    return w


def test_erasure_leaves_her_name_nowhere_in_the_database(spread, django_capture_on_commit_callbacks):
    before = find_everywhere(WORDS)
    tables = {table for table, _column, _word in before}
    # The spread is real: she is named in every app before the erasure.
    assert {
        "coaching_participant",
        "coaching_historicalparticipant",
        "coaching_note",
        "coaching_historicalnote",
        "coaching_caseevent",
        "participants_message",
        "participants_document",
        "participants_reminderlog",
        "loans_loanapplication",
        "plans_planversion",
        "plans_sectioncomment",
        "loans_historicalloanapplication",
        "loans_loan",
        "loans_ledgerentry",
        "cms_storyconsent",
        "cms_storypage",
        "wagtailcore_revision",
        "wagtailsearch_indexentry",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
        "neem_user",
    } <= tables, sorted(tables)
    storage, name = spread.document.file.storage, spread.document.file.name
    assert storage.exists(name)
    loan = spread.loan
    balance_before = loan_services.ledger_balance(loan)
    entries_before = list(LedgerEntry.objects.filter(loan=loan).values_list("pk", "amount", "principal", "interest"))

    with django_capture_on_commit_callbacks(execute=True):
        erasure = services.participant_erase(
            participant=spread.participant, by=spread.manager, reason="Her written request of 1 March", confirm=FULL
        )

    assert find_everywhere(WORDS) == set()
    # Her file is gone from storage; her loan and ledger are kept, to the öre, under the pseudonym.
    assert not storage.exists(name)
    assert not Document.objects.filter(case=spread.case).exists()
    assert loan_services.ledger_balance(Loan.objects.get(pk=loan.pk)) == balance_before
    assert list(LedgerEntry.objects.filter(loan=loan).values_list("pk", "amount", "principal", "interest")) == (
        entries_before
    )
    participant = Participant.objects.get(pk=spread.participant.pk)
    assert participant.last_name == erasure.pseudonym
    assert str(Loan.objects.get(pk=loan.pk)).startswith(f"[erased] {erasure.pseudonym}")
    assert Loan.objects.get(pk=loan.pk).agreement_sha256  # the proof of what was signed stays
    assert CaseFile.objects.get(pk=spread.case.pk).state == spread.case.state
    assert Message.objects.get(case=spread.case).text == "[erased]"
    user = type(spread.user).objects.get(pk=spread.user.pk)
    assert not user.is_active and not user.has_usable_password()
    assert erasure.by == spread.manager and erasure.summary["coaching"] > 0
    assert not IndexEntry.objects.filter(title__icontains=FIRST).exists()


def test_only_the_programme_manager_erases_and_she_must_confirm_with_her_name(spread):
    for who in (spread.adviser, spread.lead, spread.admin, spread.committee):
        with pytest.raises(NotAllowed):
            services.participant_erase(participant=spread.participant, by=who, reason="x", confirm=FULL)
    with pytest.raises(Refused):
        services.participant_erase(participant=spread.participant, by=spread.manager, reason="x", confirm="Zenobia")
    with pytest.raises(Refused):
        services.participant_erase(participant=spread.participant, by=spread.manager, reason=" ", confirm=FULL)
    assert not Erasure.objects.exists()
    assert Participant.objects.get(pk=spread.participant.pk).first_name == FIRST


def test_a_running_loan_blocks_erasure_and_nothing_changes():
    from tests.loans.lending_world import active_loan

    w = lending_world()
    active_loan(w)
    participant = w.case.participant
    with pytest.raises(Refused, match="loan"):
        services.participant_erase(
            participant=participant, by=w.manager, reason="Request", confirm=participant.full_name
        )
    assert Participant.objects.get(pk=participant.pk).first_name == participant.first_name
    assert not Erasure.objects.exists()


def test_a_second_erasure_is_refused(spread):
    services.participant_erase(participant=spread.participant, by=spread.manager, reason="Request", confirm=FULL)
    participant = Participant.objects.get(pk=spread.participant.pk)
    with pytest.raises(Refused):
        services.participant_erase(
            participant=participant, by=spread.manager, reason="Again", confirm=participant.full_name
        )
    assert Erasure.objects.count() == 1
