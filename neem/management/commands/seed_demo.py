"""Demo data: one programme in SEK with three regions, staff of every role and ~60 participants.

Safe to run twice: everything is looked up by a natural key before it is created.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coaching.models import (
    CaseEvent,
    CaseFile,
    Education,
    EmploymentStatus,
    Gender,
    NextAction,
    Note,
    Outcome,
    Participant,
    ReferralSource,
    ResidencePermit,
    Stage,
    WithdrawalReason,
)
from neem.models import Membership, Programme, ProgrammeTarget, Region, Role

PASSWORD = "neem-demo-2026"  # noqa: S105 - the published demo password

STAFF = [
    # e-mail, first, last, role, region slug (None: programme-wide)
    ("admin@example.com", "Eva", "Holm", Role.ADMINISTRATOR, None),
    ("manager@example.com", "Maria", "Andersson", Role.MANAGER, None),
    ("committee@example.com", "Karin", "Berg", Role.COMMITTEE, None),
    ("committee2@example.com", "Per", "Olsson", Role.COMMITTEE, None),
    ("lead.stockholm@example.com", "Leila", "Haddad", Role.REGION_LEAD, "stockholm"),
    ("adviser.stockholm@example.com", "Sara", "Lindqvist", Role.ADVISER, "stockholm"),
    ("adviser2.stockholm@example.com", "Hodan", "Warsame", Role.ADVISER, "stockholm"),
    ("lead.vasteras@example.com", "Anna", "Nyström", Role.REGION_LEAD, "vasteras"),
    ("adviser.vasteras@example.com", "Mehmet", "Yilmaz", Role.ADVISER, "vasteras"),
    ("lead.orebro@example.com", "Ingrid", "Sjöberg", Role.REGION_LEAD, "orebro"),
    ("adviser.orebro@example.com", "Fatima", "Rahimi", Role.ADVISER, "orebro"),
]

LOGINS = [
    ("admin@example.com", "administrator (configures the programme)"),
    ("manager@example.com", "programme manager (all regions)"),
    ("lead.stockholm@example.com", "region lead, Stockholm"),
    ("adviser.stockholm@example.com", "adviser, Stockholm"),
    ("adviser.orebro@example.com", "adviser, Örebro"),
    ("committee@example.com", "committee member"),
    ("participant@example.com", "participant in coaching, Stockholm"),
    ("borrower@example.com", "participant with a loan (one instalment overdue), Stockholm"),
]

WOMEN = [
    ("Amina", "Hassan", "Somalia", "somali, svenska"),
    ("Fatuma", "Abdi", "Somalia", "somali, engelska"),
    ("Layla", "Al-Sayed", "Syria", "arabiska, svenska"),
    ("Rania", "Khalil", "Syria", "arabiska"),
    ("Noor", "Jaber", "Iraq", "arabiska, kurdiska"),
    ("Zainab", "Hussaini", "Afghanistan", "dari, svenska"),
    ("Shirin", "Mohammadi", "Iran", "persiska, svenska"),
    ("Parisa", "Karimi", "Iran", "persiska, engelska"),
    ("Selam", "Tesfaye", "Eritrea", "tigrinja, svenska"),
    ("Helen", "Gebremedhin", "Eritrea", "tigrinja"),
    ("Gulistan", "Aziz", "Iraq", "kurdiska, svenska"),
    ("Dilan", "Demir", "Turkey", "turkiska, kurdiska"),
    ("Aylin", "Kaya", "Turkey", "turkiska, svenska"),
    ("Amra", "Hodžić", "Bosnia and Herzegovina", "bosniska, svenska"),
    ("Jelena", "Petrović", "Serbia", "serbiska, svenska"),
    ("Agnieszka", "Nowak", "Poland", "polska, engelska"),
    ("Malee", "Srisuk", "Thailand", "thai, svenska"),
    ("Nguyen Thi", "Lan", "Vietnam", "vietnamesiska"),
    ("Tran Thi", "Mai", "Vietnam", "vietnamesiska, svenska"),
    ("María José", "González", "Chile", "spanska, svenska"),
    ("Lucía", "Ramírez", "Colombia", "spanska"),
    ("Blessing", "Okafor", "Nigeria", "engelska, igbo"),
    ("Grace", "Mensah", "Ghana", "engelska, twi"),
    ("Asha", "Mohamed", "Kenya", "swahili, engelska"),
    ("Khadija", "Benali", "Morocco", "arabiska, franska"),
    ("Samira", "Haddou", "Algeria", "arabiska, franska"),
    ("Oksana", "Shevchenko", "Ukraine", "ukrainska, ryska"),
    ("Iryna", "Bondarenko", "Ukraine", "ukrainska"),
    ("Priya", "Sharma", "India", "hindi, engelska"),
    ("Fatemeh", "Ahmadi", "Afghanistan", "dari, persiska"),
    ("Hawa", "Jallow", "Gambia", "mandinka, engelska"),
    ("Mariam", "Diallo", "Guinea", "franska, fula"),
    ("Sahra", "Ismail", "Somalia", "somali"),
    ("Hiba", "Nasser", "Lebanon", "arabiska, franska"),
    ("Yasmin", "Farah", "Somalia", "somali, svenska"),
    ("Ruth", "Haile", "Ethiopia", "amhariska, svenska"),
    ("Mona", "Saleh", "Egypt", "arabiska, engelska"),
    ("Hanna", "Yohannes", "Eritrea", "tigrinja, svenska"),
    ("Leyla", "Mammadova", "Azerbaijan", "azerbajdzjanska, ryska"),
    ("Ana", "Silva", "Brazil", "portugisiska"),
    ("Sofia", "Eriksson", "Sweden", "svenska"),
    ("Emma", "Karlsson", "Sweden", "svenska, engelska"),
    ("Dalia", "Mustafa", "Sudan", "arabiska"),
    ("Nadia", "Rahman", "Bangladesh", "bengali, engelska"),
    ("Mehwish", "Iqbal", "Pakistan", "urdu, engelska"),
    ("Souad", "El Amrani", "Morocco", "arabiska, svenska"),
    ("Ebru", "Öztürk", "Turkey", "turkiska"),
    ("Kateryna", "Melnyk", "Ukraine", "ukrainska, engelska"),
    ("Lina", "Al-Hakim", "Syria", "arabiska, svenska"),
    ("Roya", "Hosseini", "Afghanistan", "dari"),
]
MEN = [
    ("Ahmed", "Osman", "Somalia", "somali, svenska"),
    ("Omar", "Khalid", "Syria", "arabiska"),
    ("Daniel", "Tekle", "Eritrea", "tigrinja, svenska"),
    ("Reza", "Naderi", "Iran", "persiska"),
    ("Erik", "Johansson", "Sweden", "svenska"),
    ("Ali", "Hamdan", "Iraq", "arabiska, svenska"),
    ("Kwame", "Boateng", "Ghana", "engelska"),
    ("Pedro", "Alves", "Portugal", "portugisiska, engelska"),
    ("Yusuf", "Aden", "Somalia", "somali"),
    ("Bashir", "Sultani", "Afghanistan", "dari, svenska"),
]

STAGE_PLAN = (
    [Stage.MOBILISED] * 8
    + [Stage.INTAKE] * 8
    + [Stage.COACHING] * 16
    + [Stage.BUSINESS_PLAN] * 8
    + [Stage.LOAN] * 6
    + [Stage.FOLLOW_UP] * 6
    + [Stage.CLOSED] * 5
    + [Stage.WITHDRAWN] * 3
)
PATH = [Stage.MOBILISED, Stage.INTAKE, Stage.COACHING, Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP]
TRANSITION_NAMES = {
    (Stage.MOBILISED, Stage.INTAKE): "start_intake",
    (Stage.INTAKE, Stage.COACHING): "admit",
    (Stage.COACHING, Stage.BUSINESS_PLAN): "start_business_plan",
    (Stage.BUSINESS_PLAN, Stage.LOAN): "start_loan",
    (Stage.LOAN, Stage.FOLLOW_UP): "start_follow_up",
}
ACTIONS = [
    "Call about the intake meeting",
    "Check the residence permit",
    "Go through the market module checklist",
    "Review the budget draft",
    "Book a study visit",
    "Send the workshop invitation",
    "Follow up on the loan documents",
    "Visit the business",
]
NOTES = [
    "Very motivated; wants to start a catering business with her sister.",
    "Has experience as a tailor; needs help with pricing.",
    "Childcare is a challenge on Tuesdays; group sessions moved to mornings.",
    "Interested in a hair salon; will visit the business-start centre.",
    "Language support needed for the regulations module.",
]


class Command(BaseCommand):
    help = "Load the demo programme, staff logins and participants (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet: bool = False, **options):
        with transaction.atomic():
            programme = self._programme()
            staff = self._staff(programme)
            self._participants(programme, staff)
            self._lending(programme, staff)
            self._portfolio(programme, staff)
            self._site()
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/accounts/login/"))
            self.stdout.write(f"Password for every demo login: {PASSWORD}")
            for email, what in LOGINS:
                self.stdout.write(f"  {email:34} {what}")

    # --- Programme and staff ---------------------------------------------------------------
    def _programme(self) -> Programme:
        programme, _ = Programme.objects.get_or_create(
            slug="neem-microfinance",
            defaults={
                "name": "Neem Microfinance — labour-market integration",
                "currency": "SEK",
                "default_language": "sv",
                "start_date": date(2026, 1, 1),
                "end_date": date(2028, 12, 31),
                "require_staff_mfa": False,  # the demo logs in straight away
                "require_permanent_residence": True,
                "min_age": 18,
            },
        )
        for slug, name in [("stockholm", "Stockholm"), ("vasteras", "Västerås"), ("orebro", "Örebro")]:
            Region.objects.get_or_create(programme=programme, slug=slug, defaults={"name": name})
        targets = [
            ("mobilised", "Participants mobilised into network groups", "count", 180, None),
            ("women", "Share of women", "percent", 80, None),
            ("foreign_background", "Share of foreign background", "percent", 85, None),
            ("social_enterprises", "Social enterprises started", "count", 3, None),
            ("companies_started", "Share of participants who start a company", "percent", 20, 30),
            ("next_step", "Share who take the next step (studies, internship, job or company)", "percent", 60, 70),
        ]
        for code, label, unit, minimum, maximum in targets:
            ProgrammeTarget.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={
                    "label": label,
                    "unit": unit,
                    "minimum": Decimal(minimum),
                    "maximum": Decimal(maximum) if maximum is not None else None,
                },
            )
        return programme

    def _user(self, email: str, first: str, last: str, *, is_staff: bool = False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "is_staff": is_staff}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _staff(self, programme: Programme) -> dict[str, object]:
        regions = {r.slug: r for r in programme.regions.all()}
        staff = {}
        for email, first, last, role, region_slug in STAFF:
            user = self._user(email, first, last, is_staff=role == Role.ADMINISTRATOR)
            Membership.objects.get_or_create(
                user=user, programme=programme, region=regions.get(region_slug) if region_slug else None, role=role
            )
            staff[email] = user
        group, _ = Group.objects.get_or_create(name="Programme administrators")
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="neem",
                content_type__model__in=["programme", "region", "membership", "programmetarget", "user"],
            )
        )
        staff["admin@example.com"].groups.add(group)
        return staff

    # --- Participants and their cases --------------------------------------------------------
    def _participants(self, programme: Programme, staff: dict) -> None:
        if CaseFile.objects.filter(programme=programme).exists():
            return
        rng = random.Random(2026)
        regions = {r.slug: r for r in programme.regions.all()}
        advisers = {
            "stockholm": [staff["adviser.stockholm@example.com"], staff["adviser2.stockholm@example.com"]],
            "vasteras": [staff["adviser.vasteras@example.com"]],
            "orebro": [staff["adviser.orebro@example.com"]],
        }
        leads = {
            "stockholm": staff["lead.stockholm@example.com"],
            "vasteras": staff["lead.vasteras@example.com"],
            "orebro": staff["lead.orebro@example.com"],
        }
        people = [(p, Gender.WOMAN) for p in WOMEN] + [(p, Gender.MAN) for p in MEN]
        rng.shuffle(people)
        stages = list(STAGE_PLAN)
        rng.shuffle(stages)
        now = timezone.now()
        today = timezone.localdate()
        region_cycle = ["stockholm", "stockholm", "vasteras", "orebro"]

        # The demo participant login: a woman in coaching in Stockholm, with the Stockholm adviser.
        demo_user = self._user("participant@example.com", "Amal", "Yusuf")
        people.insert(0, (("Amal", "Yusuf", "Somalia", "somali, svenska, engelska"), Gender.WOMAN))
        stages.insert(0, Stage.COACHING)

        for index, ((first, last, country, languages), gender) in enumerate(people):
            stage = stages[index % len(stages)]
            region_slug = "stockholm" if index == 0 else region_cycle[index % len(region_cycle)]
            region = regions[region_slug]
            adviser = advisers[region_slug][0] if index == 0 else rng.choice(advisers[region_slug])
            if stage == Stage.MOBILISED and rng.random() < 0.5:
                adviser = None
            email = "participant@example.com" if index == 0 else f"{_ascii(first)}.{_ascii(last)}@example.org"
            born = date(rng.randint(1968, 2002), rng.randint(1, 12), rng.randint(1, 28))
            swedish = country == "Sweden"
            participant = Participant.objects.create(
                user=demo_user if index == 0 else None,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"+467{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}",
                date_of_birth=born,
                gender=gender,
                country_of_birth=country,
                foreign_background=not swedish,
                residence_permit=ResidencePermit.CITIZEN
                if swedish or rng.random() < 0.3
                else ResidencePermit.PERMANENT,
                languages=languages,
                preferred_language="sv" if rng.random() < 0.6 else "en",
                needs_interpreter=not swedish and rng.random() < 0.25,
                education=rng.choice(list(Education.values)),
                employment_status=EmploymentStatus.UNEMPLOYED,
                months_unemployed=rng.randint(3, 60),
                household_adults=rng.randint(1, 2),
                household_children=rng.randint(0, 4),
                household_income=Decimal(rng.randrange(6000, 24000, 500)),
                referral_source=rng.choice(list(ReferralSource.values)),
                consent_given_at=now - timedelta(days=200),
                consent_text_version="1",
            )
            if stage == Stage.INTAKE and index % 4 == 1:
                # Someone the eligibility rules will hold back.
                Participant.objects.filter(pk=participant.pk).update(residence_permit=ResidencePermit.TEMPORARY)
            self._case(rng, programme, region, participant, adviser, leads[region_slug], stage, now, today, index)

    def _case(self, rng, programme, region, participant, adviser, lead, stage, now, today, index) -> None:
        if stage in (Stage.CLOSED, Stage.WITHDRAWN):
            reached = rng.choice(PATH[1:]) if stage == Stage.WITHDRAWN else Stage.FOLLOW_UP
            if stage == Stage.CLOSED and index % 2:
                reached = Stage.COACHING
        else:
            reached = stage
        steps = PATH[: PATH.index(reached) + 1]
        days_per_step = rng.randint(12, 30)
        opened = now - timedelta(days=days_per_step * (len(steps) + 1) + rng.randint(0, 20))
        case = CaseFile.objects.create(
            participant=participant,
            programme=programme,
            region=region,
            adviser=adviser,
            state=stage,
            opened_at=opened,
            stage_entered_at=opened,
        )
        actor = adviser or lead
        events = [CaseEvent(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, at=opened, to_state=Stage.MOBILISED)]
        if adviser:
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.ASSIGNED,
                    actor=lead,
                    at=opened + timedelta(hours=2),
                    data={"adviser": adviser.pk, "name": str(adviser)},
                )
            )
        at = opened
        for before, after in zip(steps, steps[1:], strict=False):
            at = at + timedelta(days=days_per_step)
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.TRANSITION,
                    actor=actor,
                    at=at,
                    from_state=before,
                    to_state=after,
                    transition=TRANSITION_NAMES[(before, after)],
                )
            )
        closing = {}
        if stage in (Stage.CLOSED, Stage.WITHDRAWN):
            at = at + timedelta(days=days_per_step)
            if stage == Stage.CLOSED:
                outcome = rng.choice([Outcome.COMPANY_STARTED, Outcome.EMPLOYED, Outcome.STUDIES, Outcome.INTERNSHIP])
                if reached == Stage.FOLLOW_UP:
                    outcome = Outcome.COMPANY_STARTED
                closing = {"outcome": outcome, "closed_at": at}
                data, transition = {"outcome": outcome}, "close"
            else:
                reason = rng.choice([WithdrawalReason.DECLINED, WithdrawalReason.MOVED, WithdrawalReason.HEALTH])
                closing = {"withdrawal_reason": reason, "closed_at": at}
                data, transition = {"reason": reason}, "withdraw"
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.TRANSITION,
                    actor=actor,
                    at=at,
                    from_state=reached,
                    to_state=stage,
                    transition=transition,
                    data=data,
                )
            )
        CaseEvent.objects.bulk_create(events)
        CaseFile.objects.filter(pk=case.pk).update(stage_entered_at=at, **closing)
        if stage not in (Stage.CLOSED, Stage.WITHDRAWN) and adviser:
            due = today + timedelta(days=rng.randint(-10, 21))
            NextAction.objects.create(
                case=case, title=rng.choice(ACTIONS), due_date=due, owner=adviser, created_by=adviser
            )
            if index % 3 == 0:
                Note.objects.create(
                    case=case, author=adviser, text=rng.choice(NOTES), created_at=at + timedelta(days=1)
                )

    def _lending(self, programme, staff) -> None:
        from loans import demo

        demo.seed(programme=programme, staff=staff, make_user=self._user, password=PASSWORD)

    def _portfolio(self, programme, staff) -> None:
        from portfolio import demo

        demo.seed(programme=programme, staff=staff)

    def _site(self) -> None:
        from wagtail.models import Page, Site

        from cms.models import HomePage

        if HomePage.objects.exists():
            return
        root = Page.get_first_root_node()
        home = HomePage(
            title="Neem",
            slug="neem-home",
            intro="Coaching and microloans for women who want to start a business.",
            body="<p>Neem coaches would-be entrepreneurs, most of them women who are new in Sweden, "
            "from the first idea to a business plan and, where it helps, a microloan.</p>",
        )
        root.add_child(instance=home)
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "Neem"
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Neem")
        if old_root and old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
