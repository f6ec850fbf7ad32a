from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from neem import access

from .. import radar, selectors
from ..forms import OpenRoundForm
from ..models import Questionnaire, Round

register = template.Library()

# Told apart by dash pattern and marker as well as colour, so the chart reads in black and white.
STYLES = [
    {"stroke": "#005a4e", "dash": "", "marker": "circle"},
    {"stroke": "#8a4b00", "dash": "6 4", "marker": "square"},
    {"stroke": "#3b3b98", "dash": "2 3", "marker": "diamond"},
]


def _n(value: float) -> str:
    # SVG wants a dot whatever the page's language, so numbers are formatted here, not localised.
    return f"{value:.1f}"


def marker(shape: str, x: float, y: float, colour: str) -> SafeString:
    """A small shape at a corner of the polygon: circle, square or diamond."""
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', _n(x), _n(y), colour)
    if shape == "square":
        return format_html('<rect x="{}" y="{}" width="7" height="7" fill="{}"/>', _n(x - 3.5), _n(y - 3.5), colour)
    points = " ".join(f"{_n(px)},{_n(py)}" for px, py in [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)])
    return format_html('<polygon points="{}" fill="{}"/>', points, colour)


def chart(comparison) -> dict | None:
    if comparison.is_empty or not comparison.rows:
        return None
    shape = radar.radar(
        len(comparison.rows), [[row.scores[i] for row in comparison.rows] for i in range(len(comparison.rounds))]
    )
    return {
        "shape": shape,
        "center": _n(shape.center),
        "axes": [
            {
                "x": _n(axis.x),
                "y": _n(axis.y),
                "label_x": _n(axis.label_x),
                "label_y": _n(axis.label_y),
                "anchor": axis.anchor,
                "label": row.label,
            }
            for axis, row in zip(shape.axes, comparison.rows, strict=True)
        ],
        "series": [
            {
                "points": points,
                "round": r,
                "markers": mark_safe("".join(marker(style["marker"], x, y, style["stroke"]) for x, y in vertices)),  # noqa: S308 - built by format_html
                "legend_marker": marker(style["marker"], 17, 5, style["stroke"]),
                **style,
            }
            for i, (points, vertices, r) in enumerate(zip(shape.series, shape.vertices, comparison.rounds, strict=True))
            for style in [STYLES[i % len(STYLES)]]
        ],
    }


@register.inclusion_tag("healthchecks/includes/case_panel.html", takes_context=True)
def health_check_panel(context, case):
    user = context["request"].user
    rounds = selectors.rounds_of(case, people=False)
    comparison = selectors.comparison(case, rounds, language=get_language())
    can_work = access.can_work_on_case(user, case)
    taken = {r.kind for r in rounds}
    openable = [(value, label) for value, label in Round.Kind.choices if value not in taken]
    # Only those who may work on the case are told whether a round can be opened (or why not): nobody else
    # needs the query.
    has_questionnaire = can_work and Questionnaire.objects.filter(programme_id=case.programme_id, active=True).exists()
    return {
        "case": case,
        "rounds": rounds,
        "pending": [r for r in rounds if not r.is_filled],
        "comparison": comparison,
        "chart": chart(comparison),
        "can_work": can_work,
        "can_open": can_work and case.is_open and has_questionnaire and bool(openable),
        "open_form": OpenRoundForm(initial={"kind": openable[0][0] if openable else ""}),
        "openable": openable,
        "has_questionnaire": has_questionnaire,
    }


@register.inclusion_tag("healthchecks/includes/my_links.html")
def my_health_check_links(case):
    return {"pending": [r for r in selectors.rounds_of(case) if not r.is_filled]}


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else f"{value}".replace("-", "−")
