"""Small server-side SVG charts: no JavaScript, no library. Every bar carries its number as text, so a chart reads
without colour (and in the PDF); each chart on the page has a data table beside it for screen readers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
PAD_START, PAD_END, PAD_TOP, PAD_BOTTOM = 40, 10, 24, 36


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def bar_chart(*, title: str, points: list[tuple[str, object, str]], chart_id: str) -> SafeString:
    """Vertical bars; `points` are (label under the bar, value or None when suppressed, text above the bar)."""
    values = [_number(v) for _label, v, _text in points if v is not None]
    top = max(values, default=0) or 1
    count = max(len(points), 1)
    slot = (WIDTH - PAD_START - PAD_END) / count
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line class="axis" x1="{PAD_START}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_END}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="#1d1d1f" />',
    ]
    for index, (label, value, text) in enumerate(points):
        x = PAD_START + index * slot
        centre = x + slot / 2
        if value is not None:
            height = plot_height * _number(value) / top
            y = HEIGHT - PAD_BOTTOM - height
            parts.append(
                f'<rect class="bar" x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{height:.1f}" fill="#005a4e" stroke="#1d1d1f" />'
            )
        else:
            y = HEIGHT - PAD_BOTTOM
        parts.append(
            f'<text class="value" x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(text)}</text>"
        )
        parts.append(
            f'<text class="label" x="{centre:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def funnel_chart(*, title: str, steps: list[tuple[str, object, str]], chart_id: str) -> SafeString:
    """Horizontal bars, one per stage, longest first; the count and conversion written on each."""
    row = 26
    height = PAD_TOP + row * len(steps) + 8
    label_width = 130
    values = [_number(v) for _label, v, _text in steps if v is not None]
    top = max(values, default=0) or 1
    span = WIDTH - label_width - 150
    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value, text) in enumerate(steps):
        y = PAD_TOP + index * row
        parts.append(
            f'<text class="label" x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
        )
        length = 0.0
        if value is not None:
            length = span * _number(value) / top
            parts.append(
                f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row - 8}" '
                f'fill="#005a4e" stroke="#1d1d1f" />'
            )
        parts.append(
            f'<text class="value" x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(*, title: str, points: list[tuple[str, object, str]], chart_id: str) -> SafeString:
    """A line with a square marker and its number on every point (None: a gap, e.g. a suppressed month)."""
    values = [_number(v) for _label, v, _text in points if v is not None]
    top = max(values, default=0) or 1
    count = max(len(points), 1)
    slot = (WIDTH - PAD_START - PAD_END) / count
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line class="axis" x1="{PAD_START}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_END}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="#1d1d1f" />',
    ]
    segment: list[str] = []
    markers = []
    for index, (label, value, text) in enumerate(points):
        centre = PAD_START + index * slot + slot / 2
        y = HEIGHT - PAD_BOTTOM
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#005a4e" stroke-width="2" />')
            segment = []
        else:
            y = HEIGHT - PAD_BOTTOM - plot_height * _number(value) / top
            segment.append(f"{centre:.1f},{y:.1f}")
            markers.append(
                f'<rect class="marker" x="{centre - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#1d1d1f" />'
            )
        markers.append(
            f'<text class="value" x="{centre:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(text)}</text>"
        )
        markers.append(
            f'<text class="label" x="{centre:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    if len(segment) > 1:
        parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#005a4e" stroke-width="2" />')
    parts += markers
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
