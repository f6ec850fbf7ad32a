"""Savings groups: the immutable ledger, withdrawals never below zero, the 1/3 lending gate, the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coaching.errors import NotAllowed, Refused
from loans import services as loan_services
from loans.models import LoanApplication
from portfolio import selectors, services
from portfolio.models import SavingsEntry, SavingsPolicy
from tests.casework_world import make_case
from tests.loans.lending_world import lending_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = lending_world()
    world.other = make_case(world, adviser=world.adviser, state="coaching", first="Sara", last="Saver")
    world.group = services.savings_group_create(by=world.adviser, region=world.north, name="Tuesday savers")
    # Need: 12000 + 6000 = 18000; a third is 6000.
    services.savings_member_add(by=world.adviser, group_id=world.group.pk, case=world.case, loan_need=Decimal("12000"))
    services.savings_member_add(by=world.adviser, group_id=world.group.pk, case=world.other, loan_need=Decimal("6000"))
    return world


def contribute(world, case, amount, **kwargs):
    return services.savings_contribute(
        by=world.adviser,
        group_id=world.group.pk,
        case_id=case.pk,
        amount=Decimal(amount),
        on=date(2026, 3, 1),
        **kwargs,
    )


def test_entries_cannot_be_changed_or_deleted(world):
    entry = contribute(world, world.case, "100")
    entry.amount = Decimal("1")
    with pytest.raises(TypeError, match="immutable"):
        entry.save()
    with pytest.raises(TypeError, match="immutable"):
        entry.delete()
    with pytest.raises(TypeError):
        SavingsEntry.objects.filter(pk=entry.pk).update(amount=Decimal("5"))
    with pytest.raises(TypeError):
        SavingsEntry.objects.filter(pk=entry.pk).delete()
    assert SavingsEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_a_withdrawal_below_zero_is_refused_and_nothing_is_written(world):
    contribute(world, world.case, "300")
    with pytest.raises(Refused, match="below zero"):
        services.savings_withdraw(
            by=world.adviser,
            group_id=world.group.pk,
            case_id=world.case.pk,
            amount=Decimal("300.01"),
            on=date(2026, 3, 2),
        )
    assert selectors.member_balance(world.group.pk, world.case.pk) == Decimal("300.00")
    services.savings_withdraw(
        by=world.adviser, group_id=world.group.pk, case_id=world.case.pk, amount=Decimal("300"), on=date(2026, 3, 2)
    )
    assert selectors.member_balance(world.group.pk, world.case.pk) == Decimal("0.00")


def test_another_members_savings_do_not_cover_a_withdrawal(world):
    contribute(world, world.other, "1000")
    with pytest.raises(Refused):
        services.savings_withdraw(
            by=world.adviser, group_id=world.group.pk, case_id=world.case.pk, amount=Decimal("1"), on=date(2026, 3, 2)
        )


def test_a_reference_is_recorded_once_and_a_reversal_undoes_an_entry(world):
    first = contribute(world, world.case, "500", reference="RCPT-1")
    again = contribute(world, world.case, "500", reference="RCPT-1")
    assert first.pk == again.pk
    reversal = services.savings_reverse(by=world.adviser, entry_id=first.pk, reason="Wrong member")
    assert reversal.amount == Decimal("-500.00")
    assert selectors.member_balance(world.group.pk, world.case.pk) == Decimal("0.00")
    assert services.savings_reverse(by=world.adviser, entry_id=first.pk, reason="Twice").pk == reversal.pk


def test_reversing_a_contribution_already_withdrawn_is_refused(world):
    entry = contribute(world, world.case, "200")
    services.savings_withdraw(
        by=world.adviser, group_id=world.group.pk, case_id=world.case.pk, amount=Decimal("150"), on=date(2026, 3, 2)
    )
    with pytest.raises(Refused, match="below zero"):
        services.savings_reverse(by=world.adviser, entry_id=entry.pk, reason="Mistake")


def test_only_staff_of_the_region_keep_the_savings(world):
    with pytest.raises(NotAllowed):
        services.savings_contribute(
            by=world.south_adviser,
            group_id=world.group.pk,
            case_id=world.case.pk,
            amount=Decimal("5"),
            on=date(2026, 3, 1),
        )
    with pytest.raises(NotAllowed):
        services.savings_contribute(
            by=world.manager, group_id=world.group.pk, case_id=world.case.pk, amount=Decimal("5"), on=date(2026, 3, 1)
        )


def test_progress_toward_a_third_of_the_need(world):
    contribute(world, world.case, "2500")
    contribute(world, world.other, "3000")
    progress = selectors.group_progress(world.group)
    # Saved 5500 of a third of 18000 = 6000: 91 %, 500 to go.
    assert (progress.saved, progress.target, progress.percent_of_target) == (
        Decimal("5500.00"),
        Decimal("6000.00"),
        91,
    )
    assert progress.remaining == Decimal("500.00") and not progress.reached
    contribute(world, world.other, "500")
    assert selectors.group_progress(world.group).reached


def _apply(world):
    return loan_services.application_create(
        by=world.adviser,
        case=world.case,
        product=world.product,
        amount=Decimal("12000"),
        term=12,
        purpose="Oven",
        assessment="Good",
    )


def test_the_savings_gate_refuses_an_application_until_a_third_is_saved(world):
    SavingsPolicy.objects.create(programme=world.programme, required=True)
    contribute(world, world.case, "5999.99")
    with pytest.raises(Refused, match="Savings gate"):
        _apply(world)
    assert not LoanApplication.objects.exists()
    contribute(world, world.other, "0.01")
    assert _apply(world).pk


def test_the_savings_gate_stops_a_case_outside_any_group(world):
    SavingsPolicy.objects.create(programme=world.programme, required=True)
    loner = make_case(world, adviser=world.adviser, state="loan", first="Lone", last="Borrower")
    assert "Savings gate" in selectors.savings_gate(loner)


def test_without_the_policy_there_is_no_savings_gate(world):
    assert selectors.savings_gate(world.case) is None
    SavingsPolicy.objects.create(programme=world.programme, required=False)
    assert _apply(world).pk


# --- Pages -----------------------------------------------------------------------------------------------


def test_the_group_page_shows_members_balances_and_progress(client, world):
    contribute(world, world.case, "2000")
    client.force_login(world.adviser)
    response = client.get(reverse("portfolio:group_detail", args=[world.group.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tuesday savers" in text and "2000.00" in text and "<progress" in text
    assert "<legend>Present" in text  # the attendance checkboxes are a labelled group
    assert client.get(reverse("portfolio:group_list")).status_code == 200


def test_recording_a_contribution_and_a_refused_withdrawal_through_the_page(client, world):
    client.force_login(world.adviser)
    url = reverse("portfolio:savings_entry", args=[world.group.pk])
    data = {"member": world.case.pk, "kind": "contribution", "amount": "150", "date": "2026-03-01"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "kind": "withdrawal", "amount": "200"})
    assert response.status_code == 400
    assert "below zero" in response.content.decode()
    assert selectors.member_balance(world.group.pk, world.case.pk) == Decimal("150.00")


def test_recording_a_meeting_with_attendance(client, world):
    client.force_login(world.lead)
    member = world.group.members.get(case=world.case)
    response = client.post(
        reverse("portfolio:meeting", args=[world.group.pk]),
        {"date": "2026-03-03", "note": "Agreed 500 each a month", "attended": [member.pk]},
    )
    assert response.status_code == 302
    meeting = world.group.meetings.get()
    assert list(meeting.attended.all()) == [member]


def test_starting_a_group_and_adding_a_member_through_the_pages(client, world):
    client.force_login(world.adviser)
    response = client.post(reverse("portfolio:group_list"), {"name": "Friday group", "region": world.north.pk})
    assert response.status_code == 302
    group = world.group.__class__.objects.get(name="Friday group")
    newcomer = make_case(world, adviser=world.adviser, state="coaching", first="New", last="Comer")
    response = client.post(reverse("portfolio:member_add", args=[group.pk]), {"case": newcomer.pk, "loan_need": "9000"})
    assert response.status_code == 302
    assert group.members.get().loan_need == Decimal("9000.00")


def test_wrong_roles_on_the_savings_pages(client, world):
    detail = reverse("portfolio:group_detail", args=[world.group.pk])
    entry = reverse("portfolio:savings_entry", args=[world.group.pk])
    meeting = reverse("portfolio:meeting", args=[world.group.pk])
    members = reverse("portfolio:member_add", args=[world.group.pk])
    data = {"member": world.case.pk, "kind": "contribution", "amount": "5", "date": "2026-03-01"}
    # Another region: the group does not exist for her.
    client.force_login(world.south_adviser)
    assert client.get(detail).status_code == 404
    assert client.post(entry, data).status_code == 404
    # The committee has no savings pages at all.
    client.force_login(world.committee)
    assert client.get(reverse("portfolio:group_list")).status_code == 403
    assert client.get(detail).status_code == 404
    # The manager reads but does not keep the money.
    client.force_login(world.manager)
    assert client.get(detail).status_code == 200
    assert client.post(entry, data).status_code == 403
    assert client.post(meeting, {"date": "2026-03-01"}).status_code == 403
    assert client.post(members, {}).status_code == 403
    # The borrower is not staff.
    client.force_login(world.borrower_user)
    assert client.get(reverse("portfolio:group_list")).status_code == 403
    assert not SavingsEntry.objects.exists()


def test_money_and_meetings_cannot_be_recorded_in_the_future(world):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Refused, match="future"):
        services.savings_contribute(
            by=world.adviser, group_id=world.group.pk, case_id=world.case.pk, amount=Decimal("5"), on=tomorrow
        )
    with pytest.raises(Refused):
        services.meeting_record(by=world.adviser, group_id=world.group.pk, on=tomorrow)


def test_the_application_page_names_the_savings_gate(client, world):
    SavingsPolicy.objects.create(programme=world.programme, required=True)
    client.force_login(world.adviser)
    page = client.get(reverse("loans:application_new", args=[world.case.pk])).content.decode()
    assert "Savings gate" in page
