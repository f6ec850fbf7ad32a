"""Load test: the app under gunicorn on PostgreSQL with the demo data, 50 simulated users for 60 s (locust,
headless). Prints requests/s and p50/p95; exits 1 on any 5xx.

    make load-venv        # once: locust in var/load-venv (requirements-load.txt)
    .venv/bin/python tests/load/run_load.py [--users 50] [--seconds 60] [--workers 4]

LOAD_DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/neem_load: dropped and made anew).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, fresh_database, gunicorn, log  # noqa: E402

LOCUST = ROOT / "var" / "load-venv" / "bin" / "locust"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse-database", action="store_true", help="skip the fresh database and the demo")
    args = parser.parse_args()
    if not LOCUST.exists():
        log(f"no locust at {LOCUST}: run `make load-venv` first")
        return 2
    if not args.reuse_database:
        fresh_database()
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    with gunicorn(args.workers) as (base, _master):
        log(f"locust: {args.users} users for {args.seconds} s against {base}")
        subprocess.run(  # noqa: S603
            [
                LOCUST,
                "-f",
                Path(__file__).with_name("locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                out / "locust",
                "--only-summary",
                "--stop-timeout",
                "10",
            ],  # fmt: skip
            cwd=ROOT,
            check=False,
        )
    with open(out / "locust_stats.csv", newline="") as f:  # noqa: PTH123
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    with open(out / "locust_failures.csv", newline="") as f:  # noqa: PTH123
        failures = list(csv.DictReader(f))
    server_errors = sum(int(r["Occurrences"]) for r in failures if "5xx" in r["Error"] or "50" in r["Error"][:4])
    print(
        f"requests: {total['Request Count']}, failures: {total['Failure Count']}, 5xx: {server_errors}\n"
        f"requests/s: {float(total['Requests/s']):.1f}\n"
        f"p50: {total['50%']} ms, p95: {total['95%']} ms, p99: {total['99%']} ms, max: {float(total['Max Response Time']):.0f} ms"
    )
    for row in rows:
        if row["Name"] != "Aggregated":
            print(
                f"  {row['Type']:<5} {row['Name']:<24} n={row['Request Count']:>5} p50={row['50%']:>5} p95={row['95%']:>5}"
            )
    for row in failures:
        print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
