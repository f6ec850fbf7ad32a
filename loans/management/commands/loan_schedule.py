"""Print a loan's repayment schedule, with options named as Fineract names its loan product settings.

    python manage.py loan_schedule --principal 5000 --annual-rate 12 --installments 18 --frequency months \\
        --interest-method flat --amortization equal-installments --start-date 2022-11-01 --json

The start date is the disbursement date. Amounts print as decimal strings. See loans/engine.py for the rules.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from loans.engine import Schedule, ScheduleError, ScheduleTerms, build_schedule


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _whole(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {text!r}")
        return value

    parse.__name__ = f"whole number >= {minimum}"
    return parse


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


class Command(BaseCommand):
    help = "Print the repayment schedule of a loan (Fineract's product vocabulary); --json for machine output."

    def add_arguments(self, parser):
        parser.add_argument("--principal", type=_decimal, required=True, help="Amount disbursed.")
        parser.add_argument("--annual-rate", type=_decimal, required=True, help="Nominal annual rate in percent.")
        parser.add_argument("--installments", type=_whole(1), required=True, help="Number of repayments.")
        parser.add_argument("--frequency", choices=["days", "weeks", "months"], required=True)
        parser.add_argument("--repayment-every", type=_whole(1), default=1, help="Frequency units per repayment.")
        parser.add_argument("--interest-method", choices=["flat", "declining"], required=True)
        parser.add_argument("--amortization", choices=["equal-installments", "equal-principal"], required=True)
        parser.add_argument("--start-date", type=_date, required=True, help="Disbursement date, YYYY-MM-DD.")
        parser.add_argument("--interest-period", choices=["same-as-repayment", "daily"], default="same-as-repayment")
        parser.add_argument("--days-in-year", choices=["actual", "360", "364", "365"], default="actual")
        parser.add_argument("--days-in-month", choices=["actual", "30"], default="actual")
        parser.add_argument("--grace-principal", type=_whole(0), default=0, help="Instalments without principal.")
        parser.add_argument(
            "--grace-interest-payment",
            type=_whole(0),
            default=0,
            help="Instalments whose interest is deferred to the first instalment after the grace.",
        )
        parser.add_argument("--digits", type=_whole(0), default=2, help="Decimal digits of the currency.")
        parser.add_argument(
            "--currency-multiples-of", type=_whole(0), default=0, help="Round every amount to this; 0: no rounding."
        )
        parser.add_argument(
            "--installment-multiples-of", type=_whole(0), default=0, help="Round the instalment to this; 0: none."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, **options):
        days_in_year = options["days_in_year"]
        days_in_month = options["days_in_month"]
        try:
            terms = ScheduleTerms(
                principal=options["principal"],
                annual_rate=options["annual_rate"],
                installments=options["installments"],
                start_date=options["start_date"],
                frequency=options["frequency"],
                repayment_every=options["repayment_every"],
                interest_method=options["interest_method"],
                amortization=options["amortization"].replace("-", "_"),
                interest_period=options["interest_period"].replace("-", "_"),
                days_in_year=days_in_year if days_in_year == "actual" else int(days_in_year),
                days_in_month=days_in_month if days_in_month == "actual" else int(days_in_month),
                grace_principal=options["grace_principal"],
                grace_interest_payment=options["grace_interest_payment"],
                digits=options["digits"],
                # 0 means "no multiples", as in Fineract's product settings (inMultiplesOf: 0).
                currency_multiples_of=options["currency_multiples_of"] or None,
                installment_multiples_of=options["installment_multiples_of"] or None,
            )
            schedule = build_schedule(terms)
        except ScheduleError as exc:
            raise CommandError(_in_option_names(str(exc))) from exc

        if options["json"]:
            self.stdout.write(json.dumps(as_json(schedule), indent=2))
        else:
            self.stdout.write(as_table(schedule))


# The engine names its terms as Python fields; a person at the command line knows them as options.
_FIELD = re.compile(
    r"\b(annual_rate|repayment_every|grace_principal|grace_interest_payment|currency_multiples_of"
    r"|installment_multiples_of)\b|^(principal|installments|digits)\b"
)


def _in_option_names(message: str) -> str:
    return _FIELD.sub(lambda match: "--" + match.group(0).replace("_", "-"), message)


def as_json(schedule: Schedule) -> dict:
    return {
        "installments": [
            {
                "number": row.number,
                "due_date": row.due_date.isoformat(),
                "principal": str(row.principal),
                "interest": str(row.interest),
                "fees": str(row.fees),
                "total": str(row.total),
                "balance": str(row.balance),
            }
            for row in schedule.installments
        ],
        "total_interest": str(schedule.total_interest),
        "total_repayment": str(schedule.total_repayment),
        "apr": str(schedule.apr),
    }


def as_table(schedule: Schedule) -> str:
    header = ("#", "Due date", "Principal", "Interest", "Fees", "Total", "Balance")
    body = [
        (
            str(row.number),
            row.due_date.isoformat(),
            str(row.principal),
            str(row.interest),
            str(row.fees),
            str(row.total),
            str(row.balance),
        )
        for row in schedule.installments
    ]
    totals = (
        "",
        "Total",
        str(schedule.total_principal),
        str(schedule.total_interest),
        str(sum((row.fees for row in schedule.installments), Decimal(0))),
        str(sum((row.total for row in schedule.installments), Decimal(0))),
        "",
    )
    widths = [max(len(line[i]) for line in (header, *body, totals)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    lines = [line(header), rule, *(line(cells) for cells in body), rule, line(totals)]
    if schedule.disbursement_fees:
        lines.append(f"Fees at disbursement: {schedule.disbursement_fees}")
    lines.append(f"Total repayment: {schedule.total_repayment}")
    lines.append(f"APR (effective annual rate): {schedule.apr} %")
    return "\n".join(lines)
