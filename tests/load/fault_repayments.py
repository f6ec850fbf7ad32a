"""Fault test: repayments are posted concurrently through gunicorn while a worker is killed (SIGKILL).
Afterwards every ledger sums to its balance and no payment is missing or doubled.

    .venv/bin/python tests/load/fault_repayments.py [--payments 120] [--threads 8] [--reuse-database]

A client whose request died with the worker does what a bank import or a cashier does: sends the same payment
(same bank reference) again until it gets an answer; the unique reference makes the retry harmless.
LOAD_DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/neem_load).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, app_env, fresh_database, gunicorn, log, login, worker_pids  # noqa: E402

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def django_setup() -> None:
    os.environ.update(app_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=120)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--reuse-database", action="store_true")
    args = parser.parse_args()
    if not args.reuse_database:
        fresh_database()
    django_setup()
    from loans import services
    from loans.models import Allocation, EntryKind, LedgerEntry, Loan, LoanStatus

    loans = list(Loan.objects.filter(status=LoanStatus.ACTIVE).order_by("pk"))
    if not loans:
        log("no active loan in the database")
        return 2
    run = time.strftime("%H%M%S")
    amount = Decimal("10.00")
    payments = [(loans[i % len(loans)].pk, f"FAULT-{run}-{i:04d}") for i in range(args.payments)]
    before = {loan.pk: services.ledger_balance(loan)["owed"] for loan in loans}

    with gunicorn(workers=3) as (base, master):
        local = threading.local()
        answered: dict[str, int] = {}
        retries = 0
        lock = threading.Lock()

        def session() -> requests.Session:
            if not hasattr(local, "session"):
                local.session = login(base, "manager@example.com")
            return local.session

        def post(item) -> None:
            nonlocal retries
            loan_id, reference = item
            for attempt in range(10):
                try:
                    s = session()
                    page = s.get(f"{base}/loans/{loan_id}/", timeout=30)
                    token = TOKEN.search(page.text).group(1)
                    answer = s.post(
                        f"{base}/loans/{loan_id}/repay/",
                        data={
                            "amount": str(amount),
                            "on": time.strftime("%Y-%m-%d"),
                            "method": "bank transfer",
                            "reference": reference,
                            "csrfmiddlewaretoken": token,
                        },  # fmt: skip
                        allow_redirects=False,
                        timeout=30,
                    )
                    if answer.status_code >= 500:
                        raise RuntimeError(f"{answer.status_code}")
                    with lock:
                        answered[reference] = answer.status_code
                    return
                except (requests.RequestException, RuntimeError, AttributeError) as exc:
                    with lock:
                        retries += 1
                    log(f"  {reference}: {type(exc).__name__} on attempt {attempt + 1}, sending it again")
                    time.sleep(0.2)
            raise RuntimeError(f"{reference} never answered")

        def killer() -> None:
            time.sleep(1.5)
            victim = worker_pids(master.pid)[0]
            log(f"SIGKILL to gunicorn worker {victim} while repayments are being posted")
            os.kill(victim, signal.SIGKILL)

        started = time.monotonic()
        kill = threading.Thread(target=killer)
        kill.start()
        with ThreadPoolExecutor(args.threads) as pool:
            list(pool.map(post, payments))
        kill.join()
        elapsed = time.monotonic() - started

    # --- What the ledger says -----------------------------------------------------------------------------
    posted = {reference for _loan, reference in payments}
    in_ledger = list(
        LedgerEntry.objects.filter(external_reference__startswith=f"FAULT-{run}-").values_list(
            "external_reference", flat=True
        )
    )
    problems = []
    missing = posted - set(in_ledger)
    doubled = {ref for ref in in_ledger if in_ledger.count(ref) > 1}
    unknown = set(in_ledger) - posted
    if missing:
        problems.append(f"missing payments: {sorted(missing)}")
    if doubled or unknown:
        problems.append(f"doubled: {sorted(doubled)}, unknown: {sorted(unknown)}")
    if any(status != 302 for status in answered.values()):
        problems.append(f"answers other than a redirect: {answered}")
    for loan in Loan.objects.filter(pk__in=[loan.pk for loan in loans]):
        balance = services.ledger_balance(loan)
        position = services.loan_position(loan)
        if balance["owed"] != position.outstanding:
            problems.append(f"loan {loan.pk}: ledger owes {balance['owed']}, schedule {position.outstanding}")
        paid_here = amount * sum(1 for loan_id, _ref in payments if loan_id == loan.pk)
        if before[loan.pk] - balance["owed"] != paid_here:
            problems.append(f"loan {loan.pk}: balance moved by {before[loan.pk] - balance['owed']}, paid {paid_here}")
    for entry in LedgerEntry.objects.filter(external_reference__in=posted, kind=EntryKind.REPAYMENT):
        parts = Allocation.objects.filter(entry=entry)
        allocated = sum((a.principal + a.interest + a.fee + a.penalty for a in parts), Decimal(0))
        if allocated + entry.credit != entry.amount:
            problems.append(f"entry {entry.pk}: allocated {allocated} + credit {entry.credit} != {entry.amount}")

    print(
        f"{len(payments)} repayments over {len(loans)} loans by {args.threads} threads in {elapsed:.1f} s; "
        f"one gunicorn worker killed; {retries} requests sent again; "
        f"{len(set(in_ledger))} in the ledger, {len(missing)} missing, {len(doubled)} doubled"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    print("every ledger sums to its balance" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
