"""(Re)assigning a case's adviser: region lead and programme manager only, advisers of the region only."""

from __future__ import annotations

import pytest

from coaching.models import CaseEvent, CaseFile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("participant", 404),
        ("other_participant", 404),
        ("adviser", 403),
        ("colleague", 403),
        ("other_adviser", 404),
        ("lead", 302),
        ("committee", 404),
        ("manager", 302),
        ("administrator", 403),
    ],
)
def test_assign_post_as_each_role(world, client_for, who, status):
    response = client_for(getattr(world, who)).post(
        f"/cases/{world.case.pk}/assign/", {"adviser": world.colleague.pk, "note": "Holiday cover"}
    )

    assert response.status_code == status
    case = CaseFile.objects.get(pk=world.case.pk)
    if who in ("lead", "manager"):
        assert case.adviser == world.colleague
        event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ASSIGNED)
        assert (event.actor, event.note, event.data["previous"]) == (
            getattr(world, who),
            "Holiday cover",
            "Sara Adviser",
        )
    else:
        assert case.adviser == world.adviser
        assert not CaseEvent.objects.filter(case=case).exists()


def test_an_adviser_of_another_region_cannot_be_assigned(world, client_for):
    response = client_for(world.manager).post(f"/cases/{world.case.pk}/assign/", {"adviser": world.other_adviser.pk})

    assert response.status_code == 200  # the form does not offer her: a field error
    assert "adviser" in response.context["form"].errors
    assert CaseFile.objects.get(pk=world.case.pk).adviser == world.adviser


def test_unassigning_leaves_the_case_to_the_region(world, client_for):
    client_for(world.lead).post(f"/cases/{world.case.pk}/assign/", {"adviser": ""})

    assert CaseFile.objects.get(pk=world.case.pk).adviser is None
    assert client_for(world.adviser).get(f"/cases/{world.case.pk}/").status_code == 200
