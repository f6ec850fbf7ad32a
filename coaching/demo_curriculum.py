"""Demo content for `seed_demo`: the NEEM method as a curriculum (English and Swedish), cohorts,
sessions with attendance, module progress that matches each case's stage, and a volunteer mentor.

Kept out of the command so the command's file stays short; every function is safe to run twice.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from .curriculum_models import ChecklistItem, Curriculum, ItemCheck, Module, ModuleProgress, Resource
from .mentoring_models import MentorMatch, MentorMeeting
from .models import CaseEvent, CaseFile, NextAction, Stage
from .session_models import Attendance, Cohort, CohortMember, Session

# (title en, title sv, description en, description sv, mandatory, days, [(item en, item sv)], [(title en, title sv, url)])
CURRICULUM = [
    (
        "Mobilisation",
        "Mobilisering",
        "Getting to know the programme, the network group and each other; inspiration from role models.",
        "Lära känna programmet, nätverksgruppen och varandra; inspiration från förebilder.",
        True,
        14,
        [
            (
                "Knows the programme's phases and what is expected of her",
                "Känner till programmets faser och vad som förväntas av henne",
            ),
            (
                "Has presented herself and her idea in the network group",
                "Har presenterat sig och sin idé i nätverksgruppen",
            ),
            ("Has met a role model: a woman entrepreneur", "Har träffat en förebild: en kvinnlig företagare"),
            (
                "Has agreed her coaching schedule and any language support",
                "Har kommit överens om sitt coachningsschema och eventuellt språkstöd",
            ),
        ],
        [],
    ),
    (
        "Business idea",
        "Affärsidé",
        "What she will sell, to whom, and why customers will choose her.",
        "Vad hon ska sälja, till vem, och varför kunderna väljer henne.",
        True,
        14,
        [
            ("Describes the business idea in a few sentences", "Beskriver affärsidén med några meningar"),
            (
                "Names who the customers are and what need she meets",
                "Kan säga vilka kunderna är och vilket behov hon möter",
            ),
            ("Explains what makes her offer different", "Förklarar vad som gör hennes erbjudande annorlunda"),
            ("Has talked the idea through with her family", "Har pratat igenom idén med sin familj"),
        ],
        [],
    ),
    (
        "Product and service",
        "Produkt och tjänst",
        "Industry knowledge, permits, the product cycle, pricing and a sales plan.",
        "Branschkunskap, tillstånd, produktcykel, prissättning och säljplan.",
        True,
        21,
        [
            ("Knows the industry and its main suppliers", "Känner branschen och dess viktigaste leverantörer"),
            ("Knows which permits the business needs", "Vet vilka tillstånd verksamheten behöver"),
            (
                "Sets a price that covers costs and is in line with the market",
                "Sätter ett pris som täcker kostnaderna och ligger rätt på marknaden",
            ),
            ("Has a sales plan for the first six months", "Har en säljplan för de första sex månaderna"),
        ],
        [],
    ),
    (
        "Innovation, premises and equipment",
        "Innovation, lokaler och utrustning",
        "New ways of doing things; where the business will be and what it needs to start.",
        "Nya sätt att göra saker; var verksamheten ska finnas och vad den behöver för att starta.",
        False,
        14,
        [
            ("Has considered premises: own, shared or from home", "Har övervägt lokal: egen, delad eller hemifrån"),
            ("Lists the equipment needed and what it costs", "Har listat utrustning som behövs och vad den kostar"),
        ],
        [],
    ),
    (
        "Market, customers and competitors",
        "Marknad, kunder och konkurrenter",
        "How big the market is, who buys, and who else sells.",
        "Hur stor marknaden är, vem som köper och vem mer som säljer.",
        True,
        21,
        [
            ("Has estimated the size of her market", "Har uppskattat storleken på sin marknad"),
            ("Has interviewed at least three possible customers", "Har intervjuat minst tre tänkbara kunder"),
            ("Names her main competitors and their prices", "Kan nämna sina viktigaste konkurrenter och deras priser"),
        ],
        [],
    ),
    (
        "Marketing",
        "Marknadsföring",
        "Reaching customers: channels, message and a small budget.",
        "Att nå kunderna: kanaler, budskap och en liten budget.",
        True,
        14,
        [
            ("Chooses the channels that reach her customers", "Väljer de kanaler som når hennes kunder"),
            ("Has a simple marketing plan with costs", "Har en enkel marknadsplan med kostnader"),
            (
                "Has drafted her first advertisement or post",
                "Har gjort ett utkast till sin första annons eller sitt första inlägg",
            ),
        ],
        [],
    ),
    (
        "Regulations",
        "Regelverk",
        "Company form, taxes and VAT, insurance, employer's responsibilities, bookkeeping and pension.",
        "Företagsform, skatter och moms, försäkringar, arbetsgivaransvar, bokföring och pension.",
        True,
        28,
        [
            ("Chooses a company form and can say why", "Väljer företagsform och kan motivera valet"),
            ("Understands F-tax, preliminary tax and VAT", "Förstår F-skatt, preliminärskatt och moms"),
            ("Knows which insurance the business needs", "Vet vilka försäkringar verksamheten behöver"),
            ("Knows an employer's responsibilities", "Känner till arbetsgivarens ansvar"),
            ("Knows how to keep the books, or who will", "Vet hur bokföringen ska skötas, eller av vem"),
            ("Has a plan for her own pension", "Har en plan för sin egen pension"),
        ],
        [
            (
                "Starting and running a business (verksamt.se)",
                "Starta och driva företag (verksamt.se)",
                "https://www.verksamt.se/",
            ),
            (
                "Taxes and VAT for businesses (Skatteverket)",
                "Skatter och moms för företag (Skatteverket)",
                "https://www.skatteverket.se/foretag",
            ),
        ],
    ),
    (
        "Budget",
        "Budget",
        "Income statement, liquidity budget and the capital requirement.",
        "Resultatbudget, likviditetsbudget och kapitalbehov.",
        True,
        28,
        [
            ("Has made an income statement for the first year", "Har gjort en resultatbudget för första året"),
            ("Has made a monthly liquidity budget", "Har gjort en likviditetsbudget per månad"),
            (
                "Knows her capital requirement and how it is financed",
                "Känner sitt kapitalbehov och hur det ska finansieras",
            ),
        ],
        [],
    ),
    (
        "Lending and follow-up",
        "Utlåning och uppföljning",
        "How a microloan works, responsible borrowing, and building her own credit history.",
        "Hur ett mikrolån fungerar, ansvarsfull upplåning och att bygga en egen kredithistorik.",
        False,
        14,
        [
            (
                "Understands interest, instalments and the repayment plan",
                "Förstår ränta, avbetalningar och återbetalningsplanen",
            ),
            ("Knows what happens if a payment is late", "Vet vad som händer om en betalning blir sen"),
            (
                "Knows how repaying builds her own credit history",
                "Vet hur återbetalningen bygger hennes egen kredithistorik",
            ),
        ],
        [],
    ),
]

PAST_STAGES = {Stage.BUSINESS_PLAN, Stage.LOAN, Stage.FOLLOW_UP}


def seed_curriculum(programme, by) -> Curriculum:
    existing = Curriculum.objects.filter(programme=programme).order_by("-version").first()
    if existing:
        return existing
    published = timezone.now() - timedelta(days=400)
    curriculum = Curriculum.objects.create(
        programme=programme, version=1, created_by=by, created_at=published, published_at=published, published_by=by
    )
    for order, (title_en, title_sv, desc_en, desc_sv, mandatory, days, items, resources) in enumerate(CURRICULUM, 1):
        module = Module.objects.create(
            curriculum=curriculum,
            order=order,
            title={"en": title_en, "sv": title_sv},
            description={"en": desc_en, "sv": desc_sv},
            mandatory=mandatory,
            duration_days=days,
        )
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(module=module, order=i, text={"en": en, "sv": sv}) for i, (en, sv) in enumerate(items, 1)]
        )
        Resource.objects.bulk_create(
            [
                Resource(module=module, order=i, title={"en": en, "sv": sv}, url=url)
                for i, (en, sv, url) in enumerate(resources, 1)
            ]
        )
    return curriculum


def seed_progress(programme, curriculum: Curriculum, demo_participant_email: str) -> None:
    """Progress consistent with each case's stage: past coaching means every module approved."""
    rng = random.Random(7)  # noqa: S311 - demo data
    modules = list(curriculum.modules.order_by("order").prefetch_related("items"))
    cases = list(
        CaseFile.objects.filter(programme=programme, module_progress__isnull=True)
        .exclude(state__in=[Stage.MOBILISED, Stage.INTAKE])
        .select_related("participant", "adviser")
        .order_by("pk")
    )
    reached_plan = set(
        CaseEvent.objects.filter(case__in=cases, to_state=Stage.BUSINESS_PLAN).values_list("case_id", flat=True)
    )
    entered_coaching = dict(
        CaseEvent.objects.filter(case__in=cases, to_state=Stage.COACHING).values_list("case_id", "at")
    )
    today = timezone.localdate()
    events, checks_by_progress = [], {}
    for case in cases:
        if case.state in PAST_STAGES or case.pk in reached_plan:
            approved = len(modules)
        elif case.state == Stage.COACHING:
            approved = 3 if case.participant.email == demo_participant_email else rng.randint(0, len(modules) - 2)
        elif case.pk in entered_coaching:  # withdrawn or closed during coaching
            approved = rng.randint(0, 3)
        else:
            continue
        started = entered_coaching.get(case.pk) or case.stage_entered_at
        step = max((timezone.now() - started) / (approved + 2), timedelta(days=3))
        actor = case.adviser
        rows = []
        for index, module in enumerate(modules):
            items = list(module.items.all())
            if index < approved:
                at = started + step * (index + 1)
                row = ModuleProgress(
                    case=case,
                    module=module,
                    status=ModuleProgress.Status.APPROVED,
                    opened_at=started + step * index,
                    approved_at=at,
                    approved_by=actor,
                )
                checks_by_progress[len(rows)] = (items, at)
                events.append(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.MODULE,
                        actor=actor,
                        at=at,
                        note=f"Approved: “{module.display_title}”.",
                        data={"result": "approved", "module": module.pk, "version": curriculum.version},
                    )
                )
            elif index == approved and case.state == Stage.COACHING:
                action = NextAction.objects.create(
                    case=case,
                    title=f"Check-in: module “{module.title['en']}”",
                    due_date=today + timedelta(days=rng.randint(-6, module.duration_days)),
                    owner=actor,
                    created_by=actor,
                )
                row = ModuleProgress(
                    case=case,
                    module=module,
                    status=ModuleProgress.Status.OPEN,
                    opened_at=started + step * index,
                    next_action=action,
                )
                ticked = rng.randint(0, len(items) - 1)
                checks_by_progress[len(rows)] = (items[:ticked], timezone.now() - timedelta(days=1))
            else:
                row = ModuleProgress(case=case, module=module, status=ModuleProgress.Status.LOCKED)
            rows.append(row)
        ModuleProgress.objects.bulk_create(rows)
        checks = []
        for position, (items, at) in checks_by_progress.items():
            checks += [ItemCheck(progress=rows[position], item=item, checked_by=actor, checked_at=at) for item in items]
        ItemCheck.objects.bulk_create(checks)
        checks_by_progress = {}
    CaseEvent.objects.bulk_create(events)


def seed_cohorts_and_sessions(programme, advisers_by_region: dict) -> None:
    rng = random.Random(11)  # noqa: S311 - demo data
    now = timezone.now()
    for region in programme.regions.all():
        if Cohort.objects.filter(region=region).exists():
            continue
        cohort = Cohort.objects.create(
            region=region, name=f"{region.name} — intake {now:%Y}", starts_on=(now - timedelta(days=70)).date()
        )
        cases = list(CaseFile.objects.filter(region=region, state=Stage.COACHING).order_by("pk"))
        CohortMember.objects.bulk_create([CohortMember(cohort=cohort, case=case) for case in cases])
        adviser = advisers_by_region[region.slug]
        modules = list(Module.objects.filter(curriculum__programme=programme).order_by("order"))
        plan = [(-42, 0, True), (-28, 1, True), (-14, 4, True), (-2, 5, False), (5, 6, False), (19, 7, False)]
        for days, module_index, taken in plan:
            day = (now + timedelta(days=days)).date()
            starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
            module = modules[module_index] if module_index < len(modules) else None
            session = Session.objects.create(
                region=region,
                kind=Session.Kind.GROUP,
                cohort=cohort,
                starts_at=starts,
                duration_minutes=180,
                place=f"{region.name}: the business-start centre, room 2",
                adviser=adviser,
                module=module,
                topic=module.title["en"] if module else "Group session",
                attendance_taken_at=starts + timedelta(hours=3) if taken else None,
                created_by=adviser,
            )
            if taken:
                Attendance.objects.bulk_create(
                    [
                        Attendance(
                            session=session,
                            case=case,
                            status=rng.choices(["present", "absent", "excused"], weights=[8, 1, 1])[0],
                            recorded_by=adviser,
                        )
                        for case in cases
                    ]
                )
        if cases:
            # One individual session on video next week, with its "take attendance" next action.
            case = cases[0]
            starts = timezone.make_aware(datetime.combine((now + timedelta(days=6)).date(), time(14, 0)))
            action = NextAction.objects.create(
                case=case,
                title="Individual session: budget questions (take attendance)",
                due_date=starts.date(),
                owner=adviser,
                created_by=adviser,
            )
            Session.objects.create(
                region=region,
                kind=Session.Kind.INDIVIDUAL,
                case=case,
                starts_at=starts,
                duration_minutes=60,
                video_url="https://meet.example.org/neem-coaching",
                adviser=adviser,
                topic="Budget questions",
                next_action=action,
                created_by=adviser,
            )


def seed_mentoring(programme, mentor, cases: list[CaseFile], by) -> None:
    if MentorMatch.objects.filter(mentor=mentor).exists():
        return
    today = timezone.localdate()
    topics = [
        ("First meeting: her idea and my own start", "We talked about how I started my bakery."),
        ("Pricing and finding the first customers", "She will test prices at the Saturday market."),
        ("Visit to my shop", ""),
    ]
    for number, case in enumerate(cases):
        match = MentorMatch.objects.create(
            mentor=mentor, case=case, started_on=today - timedelta(days=45), created_by=by
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.MENTORING,
            actor=by,
            at=timezone.now() - timedelta(days=45),
            note=f"Matched with the mentor {mentor}.",
            data={"match": match.pk, "mentor": mentor.pk},
        )
        for days_ago, (topic, note) in zip([30, 12, 3], topics[: 3 - number], strict=False):
            MentorMeeting.objects.create(match=match, date=today - timedelta(days=days_ago), topic=topic, note=note)
