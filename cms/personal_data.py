"""What the public site holds about a participant: her story, its consent, her workshop sign-ups.

Registered here so that no other app imports cms (see privacy.registry). Erasure takes her story off the site for
good (every translation, its revisions, its log entries and its search index entries), deletes her portrait if no
other page uses it, and removes her story consent and its log.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.registry import register_eraser, register_exporter

from .models import ConsentGrant, StoryConsent, StoryPage, WorkshopRegistration


def _consents(participant, case_ids):
    return StoryConsent.objects.filter(Q(case_id__in=case_ids) | Q(person_name__iexact=participant.full_name))


def _stories(participant, consents):
    return StoryPage.objects.filter(Q(consent__in=consents) | Q(real_name__iexact=participant.full_name))


def export(participant, cases):
    consents = _consents(participant, [c.pk for c in cases])
    return {
        "story_consents": [
            {
                "given_on": c.given_on,
                "record": c.record,
                "uses": [
                    {"use": g.get_use_display(), "expires_on": g.expires_on, "withdrawn_on": g.withdrawn_on}
                    for g in c.uses.all()
                ],
            }
            for c in consents.prefetch_related("uses")
        ],
        "stories": [
            {"title": s.title, "alias": s.alias, "real_name": s.real_name, "business": s.business, "live": s.live}
            for s in _stories(participant, consents)
        ],
        "workshop_sign_ups": [
            {"workshop": r.workshop.title, "signed_up": r.created_at, "waiting_list": r.waiting_list}
            for r in WorkshopRegistration.objects.filter(participant=participant).select_related("workshop")
        ],
    }


def erase(context) -> int:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model
    from wagtail.models import ModelLogEntry, PageLogEntry
    from wagtail.search.models import IndexEntry

    participant = context.participant
    consents = list(_consents(participant, context.case_ids))
    stories = list(_stories(participant, consents))
    portraits = {s.portrait_id for s in stories if s.portrait_id}
    page_ids = [s.pk for s in stories]
    changed = 0
    for story in stories:
        story.delete()  # its revisions go with it (a generic relation); Wagtail drops its index entry
        changed += 1
    changed += PageLogEntry.objects.filter(page_id__in=page_ids).delete()[0]
    Image = get_image_model()
    unused = [pk for pk in portraits if not StoryPage.objects.filter(portrait_id=pk).exists()]
    for image in Image.objects.filter(pk__in=unused):
        image.delete()
        changed += 1
    consent_type = ContentType.objects.get_for_model(StoryConsent)
    image_type = ContentType.objects.get_for_model(Image)
    changed += ModelLogEntry.objects.filter(
        Q(content_type=consent_type, object_id__in=[str(c.pk) for c in consents])
        | Q(content_type=image_type, object_id__in=[str(pk) for pk in unused])
    ).delete()[0]
    changed += ConsentGrant.objects.filter(consent__in=consents).delete()[0]
    changed += StoryConsent.objects.filter(pk__in=[c.pk for c in consents]).delete()[0]
    changed += WorkshopRegistration.objects.filter(participant=participant).delete()[0]
    # Whatever else of the site still carries her words in the search index, or in its log.
    # Other pages whose search-index entry still carries her words drop out of the site search until their next
    # publication (the index holds derived text; on PostgreSQL its columns are tsvectors, not text to rewrite).
    mentions = Q()
    for term in context.terms:
        mentions |= Q(title__icontains=term) | Q(body__icontains=term) | Q(autocomplete__icontains=term)
    changed += IndexEntry.objects.filter(mentions).delete()[0] if context.terms else 0
    changed += context.scrub_rows(ModelLogEntry.objects.all(), ["label", "data"])
    changed += context.scrub_rows(PageLogEntry.objects.all(), ["label", "data"])
    return changed


register_exporter("cms", export, title=_("Public site: story and workshop sign-ups"), order=85)
register_eraser("cms", erase)
