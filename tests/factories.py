"""factory_boy factories for the people, programmes and case files every test builds on."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from coaching.models import CaseFile, NextAction, Participant, ResidencePermit
from neem.models import Membership, Programme, Region, Role

PASSWORD = "test-password-neem-1"


class UserFactory(factory.django.DjangoModelFactory):
    """A login with a verified e-mail address (allauth refuses unverified ones) and PASSWORD."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    currency = "SEK"
    start_date = date(2026, 1, 1)
    end_date = date(2028, 12, 31)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """An adviser of a region by default; pass role= and region=None for programme-wide roles."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    programme = factory.LazyAttribute(lambda m: m.region.programme if m.region else ProgrammeFactory())
    role = Role.ADVISER


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"participant{n}@example.net")
    phone = factory.Sequence(lambda n: f"+4670{n:07d}")
    date_of_birth = date(1990, 5, 17)
    residence_permit = ResidencePermit.PERMANENT


class CaseFileFactory(factory.django.DjangoModelFactory):
    """A case; the stage can be given at construction: CaseFileFactory(state="coaching")."""

    class Meta:
        model = CaseFile

    participant = factory.SubFactory(ParticipantFactory)
    region = factory.SubFactory(RegionFactory)
    programme = factory.LazyAttribute(lambda c: c.region.programme)
    adviser = None


class NextActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextAction

    case = factory.SubFactory(CaseFileFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = factory.LazyFunction(date.today)
    owner = factory.LazyAttribute(lambda a: a.case.adviser)
    created_by = factory.LazyAttribute(lambda a: a.case.adviser)
