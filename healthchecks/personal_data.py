"""Her health-check rounds (scores only: nothing to scrub on erasure)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from privacy.registry import register_exporter

from .models import Round


def export(participant, cases):
    return [
        {
            "when": r.get_kind_display(),
            "taken_at": r.taken_at,
            "scores": {s.area.label: s.value for s in r.scores.all()},
        }
        for r in Round.objects.filter(case__in=cases).prefetch_related("scores__area")
    ]


register_exporter("healthchecks", export, title=_("Health checks"), order=45)
