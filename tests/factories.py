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


def approve_plan(case, *, adviser, lead):
    """A written, submitted and approved business plan, so the gate to the loan stage opens."""
    from plans import services as plan_services

    plan_services.plan_save_sections(case=case, by=adviser, sections={"business_idea": "A bakery."})
    plan_services.plan_submit(case=case, by=adviser)
    return plan_services.plan_approve(case=case, by=lead)


def paid_out_loan(case, *, by):
    """A loan on the case in the `active` status (rows made directly: only the gate to follow-up needs it)."""
    from decimal import Decimal

    from loans.models import Loan as LoanModel
    from loans.models import LoanApplication, LoanProduct, LoanStatus

    product = LoanProduct.objects.create(
        programme=case.programme,
        name="Test loan",
        min_amount=Decimal("1000"),
        max_amount=Decimal("100000"),
        annual_rate=Decimal("0"),
        min_term=1,
        max_term=24,
        frequency="monthly",
        interest_method="flat",
        amortization="equal_installments",
    )
    application = LoanApplication.objects.create(
        case=case, product=product, amount=Decimal("10000"), term=10, purpose="x", assessment="y", created_by=by
    )
    return LoanModel.objects.create(
        application=application,
        case=case,
        product=product,
        currency=case.programme.currency,
        principal=Decimal("10000"),
        term=10,
        status=LoanStatus.ACTIVE,
    )
