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
    ("editor@example.com", "Nadia", "Rahman", Role.EDITOR, None),
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
    ("editor@example.com", "site editor (the public site at /cms-admin/)"),
    ("participant@example.com", "participant in coaching, Stockholm"),
    ("borrower@example.com", "participant with a loan (one instalment overdue), Stockholm"),
    ("mentor@example.com", "volunteer mentor of two participants"),
    ("evaluator@example.com", "external evaluator (outcomes, anonymised, read-only)"),
]


def _preferred_language(spoken: str, draw: float) -> str:
    """Arabic or Vietnamese for those who speak it and are still learning Swedish (when offered), else sv/en."""
    from django.conf import settings

    offered = {code for code, _name in settings.LANGUAGES}
    for word, code in (("arabiska", "ar"), ("vietnamesiska", "vi"), ("danska", "da")):
        if word in spoken and "svenska" not in spoken and code in offered:
            return code
    return "sv" if draw < 0.6 else "en"


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

HEALTH_AREAS = [
    # code, label, statement, Swedish label, Swedish statement
    (
        "vision",
        "Vision",
        "I know what I want my business to be in three years.",
        "Vision",
        "Jag vet vad jag vill att mitt företag ska vara om tre år.",
    ),
    (
        "strategy",
        "Strategy",
        "I know how I will get there and what I will not do.",
        "Strategi",
        "Jag vet hur jag ska nå dit och vad jag inte ska göra.",
    ),
    (
        "action_plan",
        "Action plan",
        "I have a plan with steps and dates for the coming months.",
        "Handlingsplan",
        "Jag har en plan med steg och datum för de kommande månaderna.",
    ),
    (
        "finance",
        "Finance and budgeting",
        "I can make and follow a budget for my business.",
        "Ekonomi och budget",
        "Jag kan göra och följa en budget för mitt företag.",
    ),
    (
        "bookkeeping",
        "Bookkeeping",
        "I know how to keep my accounts and receipts in order.",
        "Bokföring",
        "Jag vet hur jag håller ordning på bokföring och kvitton.",
    ),
    (
        "financing",
        "Financing",
        "I know where the money to start will come from.",
        "Finansiering",
        "Jag vet varifrån pengarna till starten ska komma.",
    ),
    (
        "marketing",
        "Marketing and sales",
        "I know who my customers are and how to reach them.",
        "Marknadsföring och försäljning",
        "Jag vet vilka mina kunder är och hur jag når dem.",
    ),
    (
        "network",
        "Network",
        "I have people and organisations around me who can help my business.",
        "Nätverk",
        "Jag har människor och organisationer omkring mig som kan hjälpa mitt företag.",
    ),
    (
        "regulations",
        "Rules and regulations",
        "I know the rules for my business: company form, taxes, permits.",
        "Regler",
        "Jag känner till reglerna för mitt företag: företagsform, skatter, tillstånd.",
    ),
    (
        "follow_up",
        "Following up",
        "I check regularly how I am doing and change course when needed.",
        "Uppföljning",
        "Jag följer regelbundet upp hur det går och ändrar kurs vid behov.",
    ),
]

# name, what, where, start-up lines (category, label, amount), revenue per month at full speed, cost of goods %,
# fixed costs per month (label, amount)
DEMO_BUSINESSES = [
    (
        "catering",
        "Home-style catering for offices and parties",
        "a rented commercial kitchen",
        [
            ("equipment", "Commercial oven and hob", 28000),
            ("equipment", "Cool boxes and thermoboxes", 6500),
            ("stock", "Ingredients and packaging", 5000),
            ("deposits", "Kitchen rent deposit", 9000),
            ("launch", "Food-business registration and flyers", 3500),
        ],
        32000,
        38,
        [("Kitchen rent", 4500), ("Insurance", 350), ("Phone and web", 400), ("Car costs", 1800)],
    ),
    (
        "tailoring",
        "Tailoring, alterations and made-to-measure dresses",
        "a small studio by the square",
        [
            ("equipment", "Industrial sewing machine", 14500),
            ("equipment", "Overlock and cutting table", 9800),
            ("stock", "Fabric and thread", 6000),
            ("deposits", "Studio rent deposit", 7500),
            ("launch", "Sign, flyers and web page", 4200),
        ],
        24000,
        25,
        [("Studio rent", 3750), ("Insurance", 300), ("Phone and web", 350)],
    ),
    (
        "salon",
        "Hair salon specialising in curly and afro-textured hair",
        "a chair rented in an existing salon",
        [
            ("equipment", "Chair, mirror and tools", 12000),
            ("stock", "Hair products", 8000),
            ("launch", "Booking system and opening offer", 3000),
        ],
        28000,
        22,
        [("Chair rent", 5000), ("Insurance", 300), ("Booking system", 250)],
    ),
    (
        "cleaning",
        "Cleaning for homes and small offices (RUT-eligible)",
        "home, with a car",
        [
            ("equipment", "Vacuum cleaners and tools", 9000),
            ("stock", "Cleaning products", 2500),
            ("launch", "Registration, insurance and flyers", 4500),
        ],
        30000,
        8,
        [("Car and fuel", 2800), ("Insurance", 450), ("Phone and accounting app", 500)],
    ),
    (
        "bakery",
        "Bakery of Syrian pastries for cafés and markets",
        "a shared bakery kitchen",
        [
            ("equipment", "Ovens and trays", 22000),
            ("stock", "Flour, nuts and syrup", 4500),
            ("deposits", "Market stall deposit", 2000),
            ("launch", "Packaging design and permits", 3800),
        ],
        26000,
        35,
        [("Kitchen time", 3200), ("Market stall", 1200), ("Insurance", 300)],
    ),
]


def _plan_sections(idea, *, first: bool) -> dict:
    what, where = idea[1], idea[2]
    sections = {
        "business_idea": f"{what}. Customers pay for quality, reliability and a personal touch.",
        "product": f"{what}. Prices are set from the cost of materials plus time, checked against competitors.",
        "premises": f"I will work from {where}. The equipment is listed in the budget.",
        "market": "Customers are households and small businesses nearby; three competitors within 2 km.",
    }
    if not first:
        sections.update(
            {
                "innovation": "I serve customers in their own languages and offer times that suit working parents.",
                "marketing": "Word of mouth in associations, a Facebook page, flyers at the library and the mosque, "
                "an opening offer for the first month.",
                "regulations": "Sole trader (enskild firma) registered for F-tax and VAT; insurance for the business; "
                "bookkeeping in an app, year-end with an accountant.",
            }
        )
    return sections


def _plan_budget(idea, rng, *, cautious: bool):
    from plans.budget import BudgetInput, FixedCost, StartupLine

    startup_lines, full_revenue, cogs, fixed = idea[3], idea[4], idea[5], idea[6]
    startup = [StartupLine(cat, label, Decimal(amount)) for cat, label, amount in startup_lines]
    total = sum(line.amount for line in startup)
    own = Decimal(rng.randrange(3000, 12000, 500))
    drawings = Decimal(rng.choice([2000, 3000, 4000]))
    # A reviewed plan borrows a buffer for the slow first months; a first draft often forgets it.
    months_of_buffer = 4 if cautious else rng.choice([0, 1])
    buffer = (sum(Decimal(amount) for _label, amount in fixed) + drawings) * months_of_buffer
    loan = max(Decimal("0"), (total - own + buffer).quantize(Decimal("1000")))
    ramp = [Decimal("0.2"), Decimal("0.35"), Decimal("0.5"), Decimal("0.65"), Decimal("0.8"), Decimal("0.9")]
    factor = Decimal("0.85") if cautious else Decimal("1")
    revenue = [
        (Decimal(full_revenue) * (ramp[m] if m < len(ramp) else Decimal("1")) * factor).quantize(Decimal("100"))
        for m in range(12)
    ]
    return BudgetInput(
        startup=startup,
        own_savings=own,
        loan=loan,
        revenue=revenue,
        cogs_percent=Decimal(cogs),
        fixed_costs=[FixedCost(label, Decimal(amount)) for label, amount in fixed],
        loan_repayment=(loan / 36).quantize(Decimal("1")) if loan else Decimal("0"),
        owner_drawings=drawings,
    )


class Command(BaseCommand):
    help = "Load the demo programme, staff logins and participants (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet: bool = False, **options):
        with transaction.atomic():
            programme = self._programme()
            staff = self._staff(programme)
            self._participants(programme, staff)
            self._borrower(programme, staff)
            curriculum = self._curriculum(programme, staff)
            self._module_progress(programme, curriculum)
            self._sessions(programme, staff)
            self._mentor(programme, staff)
            questionnaire = self._health_questionnaire(programme)
            self._plans(programme, staff)
            self._lending(programme, staff)
            # After lending, which moves the demo borrower on to follow-up: a second run must find the same cases.
            self._health_checks(programme, questionnaire)
            self._portfolio(programme, staff)
            self._outcomes(programme)
            self._participant_pages(programme)
            self._banking(programme, staff)
            self._privacy(programme, staff)
            self._site(programme)
            self._api(programme)
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/accounts/login/"))
            self.stdout.write(f"Password for every demo login: {PASSWORD}")
            for email, what in LOGINS:
                self.stdout.write(f"  {email:34} {what}")
            from api.demo import CREATE_HINT

            self.stdout.write(f"REST API: docs at http://127.0.0.1:8000/api/v1/docs; a token: {CREATE_HINT}")

    def _participant_pages(self, programme) -> None:
        from participants.demo import seed

        seed(programme=programme)

    # --- Programme and staff ---------------------------------------------------------------
    def _privacy(self, programme, staff) -> None:
        from privacy.demo import seed

        seed(programme, staff)

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
                preferred_language=_preferred_language(languages, rng.random()),
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

    def _borrower(self, programme, staff) -> None:
        from loans import demo

        demo.borrower_case(programme=programme, staff=staff, make_user=self._user)

    def _lending(self, programme, staff) -> None:
        from loans import demo

        demo.seed(programme=programme, staff=staff, make_user=self._user, password=PASSWORD)

    def _banking(self, programme, staff) -> None:
        from banking import demo

        demo.seed(programme=programme, staff=staff)

    def _portfolio(self, programme, staff) -> None:
        from portfolio import demo

        demo.seed(programme=programme, staff=staff)

    # --- Curriculum, sessions and mentoring (content in coaching/demo_curriculum.py) ----------------
    def _curriculum(self, programme: Programme, staff: dict):
        from coaching.demo_curriculum import seed_curriculum

        return seed_curriculum(programme, staff["manager@example.com"])

    def _module_progress(self, programme: Programme, curriculum) -> None:
        from coaching.demo_curriculum import seed_progress

        seed_progress(programme, curriculum, "participant@example.com")

    def _sessions(self, programme: Programme, staff: dict) -> None:
        from coaching.demo_curriculum import seed_cohorts_and_sessions

        seed_cohorts_and_sessions(
            programme,
            {
                "stockholm": staff["adviser.stockholm@example.com"],
                "vasteras": staff["adviser.vasteras@example.com"],
                "orebro": staff["adviser.orebro@example.com"],
            },
        )

    def _mentor(self, programme: Programme, staff: dict) -> None:
        from coaching.demo_curriculum import seed_mentoring

        mentor = self._user("mentor@example.com", "Lena", "Holmberg")
        Membership.objects.get_or_create(user=mentor, programme=programme, region=None, role=Role.MENTOR)
        stockholm = CaseFile.objects.filter(programme=programme, region__slug="stockholm", state=Stage.COACHING)
        mentees = [
            *stockholm.filter(participant__email="participant@example.com"),
            *stockholm.exclude(participant__email="participant@example.com").order_by("pk")[:1],
        ]
        seed_mentoring(programme, mentor, mentees, staff["adviser.stockholm@example.com"])

    # --- Business plans and health checks -----------------------------------------------------
    def _health_questionnaire(self, programme: Programme):
        from healthchecks.models import Area, Questionnaire

        questionnaire = Questionnaire.objects.filter(programme=programme, active=True).first()
        if questionnaire is None:
            questionnaire = Questionnaire.objects.create(programme=programme, name="Health check for new entrepreneurs")
        for order, (code, label, question, sv_label, sv_question) in enumerate(HEALTH_AREAS):
            Area.objects.get_or_create(
                questionnaire=questionnaire,
                code=code,
                defaults={
                    "label": label,
                    "question": question,
                    "order": order,
                    "translations": {"sv": {"label": sv_label, "question": sv_question}},
                },
            )
        return questionnaire

    def _plans(self, programme: Programme, staff: dict) -> None:
        """Plans for cases from the business-plan stage on (approved from the loan stage on), and
        a draft by the demo participant. Written through the services, so the timeline is real."""
        from plans import services as plan_services
        from plans.models import BusinessPlan

        leads = {m.region_id: m.user for m in Membership.objects.filter(programme=programme, role=Role.REGION_LEAD)}
        rng = random.Random(4711)
        cases = (
            CaseFile.objects.filter(
                programme=programme, state__in=[Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP], adviser__isnull=False
            )
            .exclude(pk__in=BusinessPlan.objects.values("case_id"))
            .select_related("participant", "programme", "region", "adviser")
            .order_by("pk")
        )
        for index, case in enumerate(cases):
            idea = DEMO_BUSINESSES[index % len(DEMO_BUSINESSES)]
            plan_services.plan_save_sections(case=case, by=case.adviser, sections=_plan_sections(idea, first=True))
            plan_services.plan_save_budget(case=case, by=case.adviser, data=_plan_budget(idea, rng, cautious=False))
            plan_services.plan_save_sections(case=case, by=case.adviser, sections=_plan_sections(idea, first=False))
            if case.state == Stage.BUSINESS_PLAN and index % 2:
                continue  # still being written
            plan_services.plan_save_budget(case=case, by=case.adviser, data=_plan_budget(idea, rng, cautious=True))
            plan_services.plan_submit(case=case, by=case.adviser)
            if case.state in (Stage.LOAN, Stage.FOLLOW_UP):
                plan_services.plan_approve(case=case, by=leads[case.region_id])
        demo = (
            CaseFile.objects.filter(programme=programme, participant__user__email="participant@example.com")
            .exclude(pk__in=BusinessPlan.objects.values("case_id"))
            .select_related("participant", "programme", "region", "adviser")
            .first()
        )
        if demo is not None:
            user = demo.participant.user
            idea = DEMO_BUSINESSES[0]
            plan_services.plan_save_sections(
                case=demo,
                by=user,
                sections={
                    "business_idea": "Somali and Swedish home cooking for offices and family parties in "
                    "Rinkeby and Kista, delivered warm at lunch.",
                    "product": "Lunch boxes (sambusa, rice and stew, salads) and party catering for 20-80 "
                    "guests. I need a food-business registration from the municipality.",
                },
            )
            plan_services.plan_save_budget(case=demo, by=user, data=_plan_budget(idea, rng, cautious=False))

    def _health_checks(self, programme: Programme, questionnaire) -> None:
        """Rounds taken with the adviser; the demo participant has her midway round open to fill in."""
        from healthchecks import services as health_services
        from healthchecks.models import Round

        rng = random.Random(1234)
        areas = list(questionnaire.areas.all())
        cases = (
            CaseFile.objects.filter(
                programme=programme,
                state__in=[Stage.COACHING, Stage.BUSINESS_PLAN, Stage.FOLLOW_UP],
                adviser__isnull=False,
            )
            .select_related("participant", "programme", "region", "adviser")
            .order_by("pk")
        )
        for index, case in enumerate(cases):
            if Round.objects.filter(case=case).exists() or (case.state == Stage.COACHING and index % 3 == 2):
                continue
            is_demo = bool(case.participant.user_id)
            kinds = {Stage.COACHING: ["start"], Stage.BUSINESS_PLAN: ["start", "midway"]}.get(
                case.state, ["start", "midway", "end"]
            )
            if is_demo:
                kinds = ["start", "midway"]
            level = {area.pk: rng.randint(1, 3) for area in areas}
            for kind in kinds:
                health_round = health_services.round_open(case=case, by=case.adviser, kind=kind)
                if is_demo and kind == "midway":
                    continue  # she fills this one in herself
                health_services.round_fill(round_id=health_round.pk, by=case.adviser, scores=dict(level))
                level = {pk: min(5, value + rng.choice([0, 1, 1, 2])) for pk, value in level.items()}

    def _outcomes(self, programme: Programme) -> None:
        from outcomes.demo import seed

        seed(programme=programme)
        evaluator = self._user("evaluator@example.com", "Elin", "Utvärdera")
        Membership.objects.get_or_create(user=evaluator, programme=programme, region=None, role=Role.EVALUATOR)

    def _api(self, programme: Programme) -> None:
        from api.demo import seed

        seed(programme=programme)

    def _site(self, programme: Programme) -> None:
        """The public site on the default Wagtail site (any host and port), in English and Swedish."""
        from cms.demo import build_site

        build_site(programme=programme)


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
