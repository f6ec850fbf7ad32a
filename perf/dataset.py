"""The benchmark's data set, written fast: COPY on PostgreSQL (psycopg 3), bulk_create elsewhere.

Everything goes into a programme of its own (slug `bench-<timestamp>`), so existing data, the demo's included,
is never changed. At scale 1: 100,000 participants and case files over 20 regions and 200 advisers, 30,000 loans
with their instalments (a fifth weekly over 52 weeks, the rest monthly over 12 months), about 400,000
repayments (each with its allocation), 1,000,000 timeline entries, an open next action per open case and one
history row per participant and case.

The people each page is timed for get the same full page at every scale: the bench adviser has at least
`FULL_PAGE` cases of her own (half of them named Andersson, the search), the bench case has more timeline
entries, notes and actions than its page shows, and the bench borrower has a loan with repayments.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from coaching.models import CaseEvent, CaseFile, NextAction, Note, Participant, Stage
from coaching.normalize import name_key, normalize_email
from loans.engine import build_schedule
from loans.models import (
    Allocation,
    ApplicationStatus,
    EntryKind,
    Instalment,
    LedgerEntry,
    Loan,
    LoanApplication,
    LoanProduct,
    LoanStatus,
)
from loans.reference import new_reference
from neem.models import Membership, Programme, Region, Role, User

PASSWORD = "bench-password-2026"  # noqa: S105 - a throw-away password for the benchmark's own users
FULL_PAGE = 60  # more than a caseload page (25) and than the case page's 50 notes
SEARCH = "Andersson"
CASE_EVENTS = 250  # more than the case page's timeline shows (200)

FIRST_NAMES = [
    "Amina", "Fatuma", "Layla", "Rania", "Noor", "Zainab", "Shirin", "Parisa", "Selam", "Helen", "Gulistan",
    "Dilan", "Maria", "Sara", "Anna", "Hodan", "Leila", "Fatima", "Nadia", "Ingrid", "Yasmin", "Hawa",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Hassan", "Abdi", "Al-Sayed", "Khalil", "Jaber", "Hussaini", "Mohammadi", "Karimi", "Tesfaye",
    "Gebremedhin", "Aziz", "Demir", "Lindqvist", "Warsame", "Nyström", "Yilmaz", "Sjöberg", "Rahimi", "Berg",
    "Olsson", "Holm", "Rahman", "Haddad", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Osman",
]  # fmt: skip
OPEN = [Stage.MOBILISED, Stage.INTAKE, Stage.COACHING, Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]


@dataclass
class BenchWorld:
    programme: Programme
    adviser: User  # caseload and caseload_search
    manager: User  # dashboard and portfolio
    borrower: User  # my_path
    case: CaseFile  # the case page (the borrower's case)
    counts: dict[str, int] = field(default_factory=dict)


class Writer:
    """Writes rows (dicts of attnames) of one model with explicit ids: COPY on PostgreSQL, bulk_create else."""

    def __init__(self, progress: Callable[[str], None]):
        self.progress = progress
        self.now = timezone.now()
        self.next_ids: dict[type[models.Model], int] = {}
        self.touched: list[type[models.Model]] = []
        self.counts: dict[str, int] = {}

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve `count` primary keys above every existing one."""
        if model not in self.next_ids:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next_ids[model] = top + 1
        start = self.next_ids[model]
        self.next_ids[model] = start + count
        return range(start, start + count)

    def _defaults(self, model) -> dict[str, object]:
        values = {}
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                values[f.attname] = self.now
            elif f.has_default():
                values[f.attname] = f.get_default()
            elif f.null:
                values[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField):
                values[f.attname] = ""
        return values

    def write(self, model: type[models.Model], rows: Iterable[dict]) -> int:
        defaults = self._defaults(model)
        columns = list(model._meta.concrete_fields)
        count = 0
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            json_fields = {f.attname for f in columns if isinstance(f, models.JSONField)}
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg's own cursor: COPY
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        values = defaults | row
                        copy.write_row(
                            [
                                json.dumps(values[f.attname]) if f.attname in json_fields else values[f.attname]
                                for f in columns
                            ]
                        )
                        count += 1
        else:
            batch: list[models.Model] = []
            for row in rows:
                batch.append(model(**(defaults | row)))
                count += 1
                if len(batch) >= 2000:
                    model.objects.bulk_create(batch)
                    batch = []
            if batch:
                model.objects.bulk_create(batch)
        if model not in self.touched:
            self.touched.append(model)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count
        self.progress(f"  {model._meta.label}: {count:,} rows")
        return count

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def generate(scale: float, *, progress: Callable[[str], None], seed: int = 2026) -> BenchWorld:
    """Write the data set for `scale` into a new programme and return who and what the pages are timed for."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    n_people = max(FULL_PAGE + 10, round(100_000 * scale))
    n_loans = max(1, round(30_000 * scale))
    n_events = max(n_people, round(1_000_000 * scale))
    n_regions, n_advisers = 20, 200
    today = timezone.localdate()
    w = Writer(progress)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    password = make_password(PASSWORD)

    with transaction.atomic():
        programme = Programme.objects.create(
            name=f"Benchmark (scale {scale:g})",
            slug=f"bench-{stamp}",
            currency="SEK",
            start_date=today - timedelta(days=3 * 365),
            end_date=today + timedelta(days=3 * 365),
        )
        regions = Region.objects.bulk_create(
            [Region(programme=programme, name=f"Region {i + 1:02d}", slug=f"region-{i + 1:02d}") for i in range(20)]
        )
        region_ids = [r.pk for r in regions]

        def user(email, first, last):
            return User(email=f"{email}.{stamp}@bench.invalid", first_name=first, last_name=last, password=password)

        staff = User.objects.bulk_create(
            [
                user(
                    f"adviser{i:03d}",
                    "Adviser",
                    f"{i:03d}",
                )
                for i in range(n_advisers)
            ]
            + [user("manager", "Bench", "Manager"), user("borrower", "Bench", "Borrower")]
        )
        advisers, manager, borrower_user = staff[:n_advisers], staff[n_advisers], staff[n_advisers + 1]
        adviser_ids = [a.pk for a in advisers]
        Membership.objects.bulk_create(
            [
                Membership(user=a, programme=programme, region_id=region_ids[i % n_regions], role=Role.ADVISER)
                for i, a in enumerate(advisers)
            ]
            + [Membership(user=manager, programme=programme, role=Role.MANAGER)]
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in staff]
        )
        from outcomes import demo as outcomes_demo

        outcomes_demo.seed(programme=programme)
        product = LoanProduct.objects.create(
            programme=programme,
            name="Bench microloan",
            min_amount=Decimal("5000"),
            max_amount=Decimal("100000"),
            annual_rate=Decimal("8"),
            min_term=6,
            max_term=60,
            frequency=LoanProduct.Frequency.MONTHLY,
            interest_method=LoanProduct.InterestMethod.DECLINING,
            amortization=LoanProduct.Amortization.EQUAL_INSTALLMENTS,
        )
        progress(f"programme {programme.slug}: {n_people:,} participants, {n_loans:,} loans")

        # --- Participants, case files, history -------------------------------------------------------------
        people = w.ids(Participant, n_people)
        case_ids = w.ids(CaseFile, n_people)
        bench_adviser = adviser_ids[0]
        case_rows = []
        person_rows = []
        for k, (pid, cid) in enumerate(zip(people, case_ids, strict=True)):
            if k < FULL_PAGE:  # the bench adviser's own page, half of it found by the search
                adviser_id = bench_adviser
                last = SEARCH if k % 2 == 0 else LAST_NAMES[1 + k % (len(LAST_NAMES) - 1)]
            else:
                adviser_id = adviser_ids[k % n_advisers]
                last = LAST_NAMES[rnd.randrange(len(LAST_NAMES))]
            first = FIRST_NAMES[rnd.randrange(len(FIRST_NAMES))]
            region_id = (
                region_ids[adviser_ids.index(adviser_id) % n_regions]
                if k < FULL_PAGE
                else region_ids[(k % n_advisers) % n_regions]
            )
            opened = today - timedelta(days=rnd.randrange(30, 900))
            email = f"p{pid}@bench.invalid"
            person_rows.append(
                {
                    "id": pid,
                    "user_id": borrower_user.pk if k == 0 else None,
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "email_normalized": normalize_email(email),
                    "phone": f"+4670{pid % 10_000_000:07d}",
                    "phone_normalized": f"+4670{pid % 10_000_000:07d}",
                    "name_key": name_key(first, last),
                    "date_of_birth": date(1960 + k % 40, 1 + k % 12, 1 + k % 28),
                    "gender": "woman" if k % 10 else "man",
                    "foreign_background": k % 3 != 0,
                    "residence_permit": "permanent" if k % 4 else "temporary",
                    "household_income": Decimal(8000 + (k % 50) * 300),
                    "created_at": _aware(opened),
                    "updated_at": _aware(opened),
                }
            )
            if k == 0:
                state = Stage.LOAN
            else:
                state = rnd.choice(OPEN + [Stage.CLOSED, Stage.WITHDRAWN]) if k >= FULL_PAGE else OPEN[k % 5]
            closed = state in (Stage.CLOSED, Stage.WITHDRAWN)
            case_rows.append(
                {
                    "id": cid,
                    "participant_id": pid,
                    "programme_id": programme.pk,
                    "region_id": region_id,
                    "adviser_id": adviser_id,
                    "state": state,
                    "opened_at": _aware(opened),
                    "stage_entered_at": _aware(opened + timedelta(days=20)),
                    "updated_at": _aware(opened + timedelta(days=20)),
                    "closed_at": _aware(opened + timedelta(days=200)) if closed else None,
                    "outcome": rnd.choice(["company_started", "employed", "studies"]) if state == Stage.CLOSED else "",
                    "withdrawal_reason": "declined" if state == Stage.WITHDRAWN else "",
                    "eligibility_problems": [],
                }
            )
        w.write(Participant, person_rows)
        w.write(CaseFile, case_rows)
        _history(w, Participant, person_rows, exclude={"email_normalized", "phone_normalized", "name_key"})
        _history(w, CaseFile, case_rows)
        case_of = {row["id"]: row for row in case_rows}
        bench_case_id = case_ids[0]

        # --- Timeline, notes, next actions ---------------------------------------------------------------
        extra = CASE_EVENTS
        event_ids = w.ids(CaseEvent, n_events + extra)
        kinds = ["note", "action", "transition", "updated", "assigned", "module"]

        def events():
            ids = iter(event_ids)
            for i in range(extra):
                yield _event(next(ids), bench_case_id, bench_adviser, today - timedelta(days=i % 365), kinds[i % 6], i)
            for i in range(n_events):
                cid = case_ids[i % n_people]
                row = case_of[cid]
                yield _event(next(ids), cid, row["adviser_id"], today - timedelta(days=(i * 7) % 900), kinds[i % 6], i)

        w.write(CaseEvent, events())
        note_ids = w.ids(Note, FULL_PAGE)
        w.write(
            Note,
            (
                {
                    "id": nid,
                    "case_id": bench_case_id,
                    "author_id": bench_adviser,
                    "text": f"Bench note {i}: talked about the budget and the next step.",
                    "created_at": _aware(today - timedelta(days=i + 2)),
                }
                for i, nid in enumerate(note_ids)
            ),
        )
        open_cases = [row for row in case_rows if row["state"] in OPEN]
        action_ids = w.ids(NextAction, len(open_cases) + 5)

        def actions():
            ids = iter(action_ids)
            for i, row in enumerate(open_cases):
                yield {
                    "id": next(ids),
                    "case_id": row["id"],
                    "title": "Call about the business plan",
                    "due_date": today + timedelta(days=(i % 40) - 10),
                    "owner_id": row["adviser_id"],
                    "created_by_id": row["adviser_id"],
                }
            for i in range(5):
                yield {
                    "id": next(ids),
                    "case_id": bench_case_id,
                    "title": f"Follow up {i}",
                    "due_date": today + timedelta(days=i),
                    "owner_id": bench_adviser,
                    "created_by_id": bench_adviser,
                }

        w.write(NextAction, actions())

        # --- Loans: applications, schedules, ledger ------------------------------------------------------
        borrower_cases = [case_ids[0]] + rnd.sample(list(case_ids[1:]), min(n_loans - 1, n_people - 1))
        _loans(w, rnd, borrower_cases, case_of, product, today)

        if connection.vendor == "postgresql":
            w.reset_sequences()
    if connection.vendor == "postgresql":
        # What autovacuum does to a live database: statistics for the planner and, outside a transaction (not in
        # the test suite's), the visibility map that lets counts and index scans skip the table's pages.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in w.touched:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        if not connection.in_atomic_block:
            _checkpoint()
    return BenchWorld(
        programme=programme,
        adviser=advisers[0],
        manager=manager,
        borrower=borrower_user,
        case=CaseFile.objects.get(pk=bench_case_id),
        counts=w.counts,
    )


def _event(pk, case_id, actor_id, day, kind, i) -> dict:
    return {
        "id": pk,
        "case_id": case_id,
        "kind": kind,
        "actor_id": actor_id,
        "at": _aware(day, 8 + i % 10),
        "note": "Bench timeline entry" if kind == "note" else "",
        "data": {},
    }


def _history(w: Writer, model, rows: list[dict], exclude: frozenset | set = frozenset()) -> None:
    historical = model.history.model
    ids = w.ids(historical, len(rows))
    fields = {f.attname for f in historical._meta.concrete_fields}
    w.write(
        historical,
        (
            {k: v for k, v in row.items() if k in fields and k not in exclude}
            | {
                "history_id": hid,
                "history_date": row.get("created_at") or row.get("opened_at"),
                "history_type": "+",
                "history_user_id": row.get("adviser_id"),
            }
            for hid, row in zip(ids, rows, strict=True)
        ),
    )


def _loans(w: Writer, rnd: random.Random, borrower_cases: list[int], case_of: dict, product, today: date) -> None:
    n = len(borrower_cases)
    app_ids, loan_ids = w.ids(LoanApplication, n), w.ids(Loan, n)
    references: set[str] = set(Loan.objects.values_list("payment_reference", flat=True))
    apps, loans, instalments, entries, allocations = [], [], [], [], []
    # Instalments, entries and allocations are written after their ids are known; reserve generously.
    inst_next = w.ids(Instalment, 0).start
    entry_next = w.ids(LedgerEntry, 0).start
    alloc_next = w.ids(Allocation, 0).start
    for k, (case_id, app_id, loan_id) in enumerate(zip(borrower_cases, app_ids, loan_ids, strict=True)):
        case = case_of[case_id]
        weekly = k % 5 == 4
        term = 52 if weekly else 12
        principal = Decimal(5000 + (k % 20) * 2500)
        start = today - timedelta(days=rnd.randrange(7, 600)) if k else today - timedelta(days=200)
        terms = product.terms(principal=principal, installments=term, start_date=start)
        if weekly:
            from dataclasses import replace

            terms = replace(terms, frequency="weeks")
        schedule = build_schedule(terms)
        adviser = case["adviser_id"]
        apps.append(
            {
                "id": app_id,
                "case_id": case_id,
                "product_id": product.pk,
                "amount": principal,
                "term": term,
                "purpose": "Equipment and stock",
                "assessment": "A sound plan.",
                "plan_snapshot": {},
                "status": ApplicationStatus.APPROVED,
                "created_by_id": adviser,
                "approved_amount": principal,
                "approved_term": term,
            }
        )
        # One in eight borrowers stops paying after a while: arrears for PAR30.
        stops = rnd.randrange(1, term) if k % 8 == 7 else None
        paid_all = True
        rows = []
        for i in schedule.installments:
            rows.append((inst_next, i))
            instalments.append(
                {
                    "id": inst_next,
                    "loan_id": loan_id,
                    "version": 1,
                    "active": True,
                    "number": i.number,
                    "due_date": i.due_date,
                    "principal": i.principal,
                    "interest": i.interest,
                    "fee": i.fees,
                }
            )
            inst_next += 1
        common = {"loan_id": loan_id, "value_date": start, "created_by_id": adviser}
        entries.append(
            {"id": entry_next, "kind": EntryKind.DISBURSEMENT, "amount": principal, "principal": principal} | common
        )
        entry_next += 1
        entries.append(
            {"id": entry_next, "kind": EntryKind.INTEREST, "amount": Decimal(0), "interest": schedule.total_interest}
            | common
        )
        entry_next += 1
        for inst_id, i in rows:
            if i.due_date > today or (stops is not None and i.number >= stops):
                paid_all = False
                break
            total = i.principal + i.interest + i.fees
            entries.append(
                {
                    "id": entry_next,
                    "loan_id": loan_id,
                    "kind": EntryKind.REPAYMENT,
                    "value_date": i.due_date,
                    "amount": total,
                    "principal": -i.principal,
                    "interest": -i.interest,
                    "fee": -i.fees,
                    "external_reference": f"BENCH-{loan_id}-{i.number}",
                    "method": "bank",
                    "created_by_id": adviser,
                }
            )
            allocations.append(
                {
                    "id": alloc_next,
                    "entry_id": entry_next,
                    "instalment_id": inst_id,
                    "principal": i.principal,
                    "interest": i.interest,
                    "fee": i.fees,
                }
            )
            entry_next += 1
            alloc_next += 1
        loans.append(
            {
                "id": loan_id,
                "application_id": app_id,
                "case_id": case_id,
                "product_id": product.pk,
                "currency": "SEK",
                "principal": principal,
                "term": term,
                "status": LoanStatus.REPAID if paid_all else LoanStatus.ACTIVE,
                "accepted_at": _aware(start - timedelta(days=3)),
                "disbursed_on": start,
                "disbursement_method": "bank",
                "disbursed_by_id": adviser,
                "schedule_version": 1,
                "apr": schedule.apr,
                "closed_on": schedule.installments[-1].due_date if paid_all else None,
                "payment_reference": _unique_reference(references),
            }
        )
    w.next_ids[Instalment], w.next_ids[LedgerEntry], w.next_ids[Allocation] = inst_next, entry_next, alloc_next
    w.write(LoanApplication, apps)
    w.write(Loan, loans)
    w.write(Instalment, instalments)
    w.write(LedgerEntry, entries)
    w.write(Allocation, allocations)


def _unique_reference(taken: set[str]) -> str:
    """A payment reference as every loan gets one (loans.reference), unique among those written and present."""
    while True:
        reference = new_reference()
        if reference not in taken:
            taken.add(reference)
            return reference


def _checkpoint() -> None:
    """Write the loaded data set to disk now, as a live database would have long before: otherwise PostgreSQL's
    checkpointer spreads the writing of some 2 GB over the next minutes, i.e. over the timed requests. Needs a
    superuser or the pg_checkpoint role; without it the timings simply start earlier."""
    from django.db import DatabaseError

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass
