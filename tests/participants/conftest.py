"""Fixtures for the participant's pages: the shared `world`, plus a loan, a curriculum and documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.models import CaseFile, Stage
from loans.models import LendingPolicy
from neem.models import Membership, Role
from participants import sms
from tests.factories import UserFactory
from tests.loans.lending_world import active_loan, product

# The smallest files each checker accepts: real magic bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


def upload(name: str = "quote.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def set_state(case: CaseFile, state: str) -> CaseFile:
    # The stage is a protected FSM field: tests move it with an update, then re-fetch.
    CaseFile.objects.filter(pk=case.pk).update(state=state)
    return CaseFile.objects.select_related("participant", "programme", "region", "adviser").get(pk=case.pk)


def approve_plan(case) -> None:
    """An approved plan, straight in the database (the loan application's gate asks for one)."""
    from plans.models import BusinessPlan, PlanVersion

    plan = BusinessPlan.objects.create(case=case)
    version = PlanVersion.objects.create(plan=plan, number=1, sections={"idea": "A bakery"}, budget={})
    BusinessPlan.objects.filter(pk=plan.pk).update(status="approved", latest_version=version, approved_version=version)


def with_loan(world, *, on: date = date(2026, 1, 15), repayments: int = 0):
    """Turn world.case into a case with an active loan paid out `on`, with `repayments` monthly payments."""
    from loans import services

    world.committee2 = UserFactory(email="committee2@example.net")
    Membership.objects.create(user=world.committee2, programme=world.programme, role=Role.COMMITTEE)
    LendingPolicy.objects.get_or_create(programme=world.programme, defaults={"quorum": 2, "arrears_action_days": 7})
    world.case = set_state(world.case, Stage.LOAN)
    approve_plan(world.case)
    world.borrower_user = world.participant
    world.participant.set_password("pw-123456789")
    world.participant.save(update_fields=["password"])
    world.product = product(world)
    loan = active_loan(world, on=on)
    for n in range(repayments):
        services.repayment_record(
            by=world.adviser, loan_id=loan.pk, amount=Decimal("500"), on=date(2026, 2 + n, 10), method="bank"
        )
    return loan
