"""A small world for case-work tests, built with the ORM: one programme, two regions, every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from coaching.models import CaseFile, Participant
from neem.models import Membership, Programme, Region, Role


@dataclass
class World:
    programme: Programme
    north: Region
    south: Region
    lead: object
    adviser: object
    adviser2: object
    south_adviser: object
    south_lead: object
    manager: object
    admin: object
    committee: object


def make_user(email: str, first: str = "", last: str = "", **extra):
    user = get_user_model().objects.create_user(
        email=email, password="pw-123456789", first_name=first, last_name=last, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build_world() -> World:
    programme = Programme.objects.create(
        name="Test programme",
        slug="casework-test",
        currency="SEK",
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
    )
    north = Region.objects.create(programme=programme, name="North", slug="north")
    south = Region.objects.create(programme=programme, name="South", slug="south")
    people = {}
    for key, email, role, region in [
        ("lead", "lead@t.example", Role.REGION_LEAD, north),
        ("adviser", "adviser@t.example", Role.ADVISER, north),
        ("adviser2", "adviser2@t.example", Role.ADVISER, north),
        ("south_adviser", "south@t.example", Role.ADVISER, south),
        ("south_lead", "southlead@t.example", Role.REGION_LEAD, south),
        ("manager", "manager@t.example", Role.MANAGER, None),
        ("admin", "admin@t.example", Role.ADMINISTRATOR, None),
        ("committee", "committee@t.example", Role.COMMITTEE, None),
    ]:
        user = make_user(email, key.title(), "Staff")
        Membership.objects.create(user=user, programme=programme, region=region, role=role)
        people[key] = user
    return World(programme=programme, north=north, south=south, **people)


def make_case(world: World, *, region=None, adviser=None, state="coaching", first="Amina", last="Hassan", **person):
    participant = Participant.objects.create(first_name=first, last_name=last, **person)
    return CaseFile.objects.create(
        participant=participant,
        programme=world.programme,
        region=region or world.north,
        adviser=adviser,
        state=state,
    )
