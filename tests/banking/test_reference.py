"""Payment references: OCR numbers with a length digit and a Luhn check digit, on every loan, shown to her."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from loans import reference
from loans.models import Loan
from tests.loans.lending_world import approved_loan, lending_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("1234567806", True),
        ("1234 5678 06", True),
        ("1234-5678-06", True),
        ("1234567807", False),  # wrong check digit
        ("1234567816", False),  # wrong length digit
        ("2134567806", False),  # two digits swapped
        ("123456780", False),  # a digit dropped
        ("12345678A6", False),
        ("", False),
    ],
)
def test_a_reference_is_checked_by_its_length_and_luhn_digits(number, valid):
    assert reference.is_valid_reference(number) is valid


def test_luhn_check_digit_matches_the_published_example():
    # The classic Luhn example: 7992739871 has check digit 3.
    assert reference.luhn_check_digit("7992739871") == "3"
    assert reference.luhn_valid("79927398713")
    assert not reference.luhn_valid("79927398710")


def test_new_references_are_valid_and_ten_digits():
    for _ in range(200):
        number = reference.new_reference()
        assert len(number) == 10
        assert number[0] != "0"
        assert reference.is_valid_reference(number)


def test_every_single_digit_error_is_caught():
    number = reference.new_reference()
    for position in range(len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not reference.is_valid_reference(typo), typo


def test_a_loan_gets_a_unique_valid_reference_when_it_is_created():
    world = lending_world()

    loan = approved_loan(world)

    assert reference.is_valid_reference(loan.payment_reference)
    assert Loan.objects.filter(payment_reference=loan.payment_reference).count() == 1
    saved = loan.payment_reference
    loan.save()
    assert Loan.objects.get(pk=loan.pk).payment_reference == saved  # set once, never changed


def test_the_backfill_migration_gives_existing_loans_references():
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("loans.migrations.0003_loan_payment_reference")
    world = lending_world()
    loan = approved_loan(world)
    Loan.objects.filter(pk=loan.pk).update(payment_reference="")

    migration.backfill(global_apps, None)

    assert reference.is_valid_reference(Loan.objects.get(pk=loan.pk).payment_reference)


def test_she_sees_her_reference_on_my_path_her_loan_page_and_the_agreement(client):
    from tests.loans.lending_world import active_loan

    world = lending_world()
    loan = active_loan(world)
    client.force_login(world.borrower_user)
    shown = loan.payment_reference_display

    assert shown in client.get("/my/").content.decode()
    assert shown in client.get(f"/my/loans/{loan.pk}/").content.decode()
    from django.template.loader import render_to_string

    from loans.views import _agreement_context

    assert shown in render_to_string("loans/agreement_pdf.html", _agreement_context(loan))


def test_the_reminder_e_mail_carries_the_reference():
    from tests.loans.lending_world import active_loan

    world = lending_world()
    loan = active_loan(world)
    due = loan.instalments.filter(active=True).order_by("due_date").first().due_date

    call_command("daily", as_of=(due - timedelta(days=3)).isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115

    bodies = [m.body for m in mail.outbox if world.borrower_user.email in m.to]
    assert bodies and loan.payment_reference_display in bodies[0]
