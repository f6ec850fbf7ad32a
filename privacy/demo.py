"""Demo data: consent texts in English and Swedish, every demo participant's consent, the retention rule and an
entry in the access log. Safe to run twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from .models import AccessLog, ConsentRecord, ConsentText, Purpose, RetentionRule

TEXTS = {
    (Purpose.PROGRAMME, "en"): (
        "I agree that the programme keeps my case file (contact details, background, coaching, business plan and any "
        "loan) to coach me and to report anonymised figures to its funders. I can see, export or have my data "
        "erased at any time, except what bookkeeping law requires for a loan."
    ),
    (Purpose.PROGRAMME, "sv"): (
        "Jag samtycker till att programmet sparar mitt ärende (kontaktuppgifter, bakgrund, coachning, affärsplan och "
        "eventuellt lån) för att coacha mig och redovisa anonymiserade siffror till finansiärerna. Jag kan när som "
        "helst se, exportera eller radera mina uppgifter, utom det bokföringslagen kräver för ett lån."
    ),
    (Purpose.SENSITIVE, "en"): (
        "I agree that my country of birth, background and residence status are recorded to check eligibility and "
        "for anonymised statistics. Only my adviser, the region lead and the programme manager see them."
    ),
    (Purpose.SENSITIVE, "sv"): (
        "Jag samtycker till att mitt födelseland, min bakgrund och mitt uppehållstillstånd registreras för att pröva "
        "behörighet och för anonymiserad statistik. Bara min rådgivare, regionansvarig och programchefen ser dem."
    ),
}


def seed(programme, staff) -> None:
    texts = {}
    for (purpose, language), text in TEXTS.items():
        texts[purpose, language], _created = ConsentText.objects.get_or_create(
            programme=programme,
            purpose=purpose,
            language=language,
            version="1",
            defaults={"text": text, "published_on": date(2026, 1, 1)},
        )
    RetentionRule.objects.get_or_create(programme=programme, defaults={"years_after_closing": 7})

    from coaching.models import CaseFile, Participant

    participants = Participant.objects.filter(cases__programme=programme, erasure__isnull=True).distinct()
    have = set(ConsentRecord.objects.filter(participant__in=participants).values_list("participant_id", "purpose"))
    records = []
    for participant in participants:
        language = participant.preferred_language if participant.preferred_language in ("en", "sv") else "sv"
        given = participant.consent_given_at or timezone.now() - timedelta(days=200)
        for purpose in (Purpose.PROGRAMME, Purpose.SENSITIVE):
            if (participant.pk, purpose) not in have:
                records.append(
                    ConsentRecord(
                        participant=participant, purpose=purpose, text=texts[purpose, language], given_at=given
                    )
                )
    ConsentRecord.objects.bulk_create(records)

    # One line in the access log: the Stockholm lead looked at the demo participant's case.
    lead = staff.get("lead.stockholm@example.com")
    case = (
        CaseFile.objects.filter(programme=programme, participant__user__email="participant@example.com")
        .select_related("participant")
        .first()
    )
    if lead is not None and case is not None and not AccessLog.objects.filter(programme=programme).exists():
        AccessLog.objects.create(
            user=lead, participant_id=case.participant_id, case=case, programme=programme, action=AccessLog.Action.VIEW
        )
