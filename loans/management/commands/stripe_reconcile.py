"""Compare Stripe's succeeded card payments with the repayments recorded from them, for a range of days."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from loans.payments import services, stripe_api


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "List Stripe's succeeded payments next to the recorded repayments and every mismatch. Exit 1 on any."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")

    def handle(self, *args, start: str, end: str, **options):
        start_day, end_day = _day(start), _day(end)
        if start_day > end_day:
            raise CommandError("--from is after --to.")
        if not stripe_api.is_configured():
            raise CommandError("Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY).")
        try:
            result = services.reconcile(start=start_day, end=end_day)
        except stripe_api.StripeUnavailable as exc:
            raise CommandError(f"Stripe could not be reached: {exc}") from exc
        for row in result.rows:
            stripe_side = f"{row.stripe_amount} {row.stripe_currency}" if row.stripe_amount is not None else "-"
            neem_side = f"{row.neem_amount} {row.neem_currency}" if row.neem_amount is not None else "-"
            verdict = "ok" if row.ok else "MISMATCH: " + "; ".join(str(p) for p in row.problems)
            self.stdout.write(
                f"{row.payment_intent_id}\tloan={row.loan_id or '-'}\tstripe={stripe_side}\tneem={neem_side}\t{verdict}"
            )
        summary = f"{start_day}..{end_day}: {len(result.rows)} payments, {len(result.mismatches)} mismatches"
        if result.reconciled:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(self.style.ERROR(summary))
            raise SystemExit(1)
