"""Small fixtures; `world` is one programme with two regions and a person in every role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coaching.models import Stage
from neem.models import Role

from .factories import (
    CaseFileFactory,
    MembershipFactory,
    NextActionFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

# A busy two-core CI machine must not turn slow input generation or a slow example into a failure:
# the properties are about results, not speed (speed is measured by `manage.py bench`).
hypothesis_settings.register_profile("neem", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("neem")

ROLES = [
    "anonymous",
    "participant",
    "other_participant",
    "adviser",
    "colleague",
    "other_adviser",
    "lead",
    "committee",
    "manager",
    "administrator",
]


def staff(role: str, *, programme, region=None, **user):
    membership = MembershipFactory(user=UserFactory(**user), programme=programme, region=region, role=role)
    return membership.user


@pytest.fixture
def world(db):
    """One programme with a person in every role: see build_world (a plain function, so a module can
    build it once for all its tests)."""
    return build_world()


def build_world() -> SimpleNamespace:
    """
    - `north` and `south`, regions of `programme`;
    - `adviser` (north) is assigned to `participant`'s case (`case`, in coaching, one next action);
    - `colleague` is another adviser of north, `other_adviser` an adviser of south;
    - `lead` leads north; `committee`, `manager`, `administrator` hold programme-wide roles;
    - `other_participant` has her own case (`other_case`) in south.
    """
    programme = ProgrammeFactory(name="Neem Test Programme")
    north = RegionFactory(programme=programme, name="North", slug="north")
    south = RegionFactory(programme=programme, name="South", slug="south")
    w = SimpleNamespace(programme=programme, north=north, south=south, anonymous=None)
    w.adviser = staff(Role.ADVISER, programme=programme, region=north, first_name="Sara", last_name="Adviser")
    w.colleague = staff(Role.ADVISER, programme=programme, region=north, first_name="Hodan", last_name="Colleague")
    w.other_adviser = staff(Role.ADVISER, programme=programme, region=south, first_name="Mehmet", last_name="South")
    w.lead = staff(Role.REGION_LEAD, programme=programme, region=north, first_name="Leila", last_name="Lead")
    w.committee = staff(Role.COMMITTEE, programme=programme, first_name="Karin", last_name="Committee")
    w.manager = staff(Role.MANAGER, programme=programme, first_name="Maria", last_name="Manager")
    w.administrator = staff(Role.ADMINISTRATOR, programme=programme, first_name="Eva", last_name="Admin", is_staff=True)
    w.participant = UserFactory(email="amal@example.net", first_name="Amal", last_name="Yusuf")
    w.case = CaseFileFactory(
        participant=ParticipantFactory(
            user=w.participant, first_name="Amal", last_name="Yusuf", email=w.participant.email
        ),
        region=north,
        adviser=w.adviser,
        state=Stage.COACHING,
    )
    w.action = NextActionFactory(case=w.case, title="Call about the budget")
    w.other_participant = UserFactory(email="rania@example.net", first_name="Rania", last_name="Khalil")
    w.other_case = CaseFileFactory(
        participant=ParticipantFactory(
            user=w.other_participant, first_name="Rania", last_name="Khalil", email=w.other_participant.email
        ),
        region=south,
        adviser=w.other_adviser,
        state=Stage.INTAKE,
    )
    return w


@pytest.fixture
def client_for():
    """client_for(user) -> a test client logged in as that user (or anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test also checks that no page broke the Content-Security-Policy (neem/csp.py):
    Chromium reports each refused inline script, handler or style, or other origin, on the console."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert not violations, violations
