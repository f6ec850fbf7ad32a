"""Her outcome details (nothing that names her, so nothing to erase)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.registry import register_exporter

from .models import CaseOutcomeDetail


def export(participant, cases):
    return list(CaseOutcomeDetail.objects.filter(case__in=cases).values("case_id", "social_enterprise"))


register_exporter("outcomes", export, title=_("Outcome details"), order=70)
