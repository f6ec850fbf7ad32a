"""Small builders for the curriculum, sessions and mentoring tests.

Plain functions rather than fixtures in a conftest: the shared tests/conftest.py and factories
belong to another branch. Test modules import what they need from here.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from coaching.models import CaseFile, ChecklistItem, Curriculum, Module, Participant, Stage
from neem.models import Membership, Programme, Region, Role

PASSWORD = "a-long-test-password"
_counter = itertools.count(1)


def make_programme(slug: str = "prog") -> Programme:
    programme = Programme.objects.create(
        name=f"Programme {slug}",
        slug=f"{slug}-{next(_counter)}",
        currency="SEK",
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
        require_staff_mfa=False,
    )
    return programme


def make_region(programme: Programme, name: str = "Stockholm") -> Region:
    return Region.objects.create(programme=programme, name=name, slug=f"r{next(_counter)}")


def make_user(email: str | None = None, *, role: str | None = None, programme=None, region=None, **extra):
    email = email or f"user{next(_counter)}@example.com"
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, first_name=email.split("@")[0], **extra)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        Membership.objects.create(user=user, programme=programme or region.programme, region=region, role=role)
    return user


def make_case(region: Region, *, adviser=None, state: str = Stage.INTAKE, first_name: str = "Amina") -> CaseFile:
    participant = Participant.objects.create(first_name=first_name, last_name=f"Test{next(_counter)}")
    return CaseFile.objects.create(
        participant=participant, programme=region.programme, region=region, adviser=adviser, state=state
    )


def publish_curriculum(programme: Programme, spec=None, *, version: int | None = None) -> Curriculum:
    """A published version built straight in the database. spec: [(title, mandatory, [item, ...]), ...]."""
    from django.utils import timezone

    spec = spec or [
        ("Business idea", True, ["Describes the idea", "Names the customers"]),
        ("Marketing", False, ["Has a marketing plan"]),
        ("Budget", True, ["Income statement", "Liquidity budget"]),
    ]
    if version is None:
        latest = Curriculum.objects.filter(programme=programme).order_by("-version").first()
        version = (latest.version + 1) if latest else 1
    curriculum = Curriculum.objects.create(programme=programme, version=version, published_at=timezone.now())
    for order, (title, mandatory, items) in enumerate(spec, start=1):
        module = Module.objects.create(
            curriculum=curriculum, order=order, title={"en": title, "sv": f"{title} (sv)"}, mandatory=mandatory
        )
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(module=module, order=i, text={"en": text}) for i, text in enumerate(items, start=1)]
        )
    return curriculum


class World:
    """A programme with a published curriculum, one region, its adviser, lead, manager and a case in intake."""

    def __init__(self):
        self.programme = make_programme()
        self.region = make_region(self.programme)
        self.adviser = make_user("adviser@example.com", role=Role.ADVISER, region=self.region)
        self.lead = make_user("lead@example.com", role=Role.REGION_LEAD, region=self.region)
        self.manager = make_user("manager@example.com", role=Role.MANAGER, programme=self.programme)
        self.curriculum = publish_curriculum(self.programme)
        self.case = make_case(self.region, adviser=self.adviser)

    def fresh_case(self) -> CaseFile:
        return CaseFile.objects.get(pk=self.case.pk)
