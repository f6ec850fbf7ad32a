"""Geometry of the radar chart, drawn server-side as SVG. Pure functions, no Django."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor


@dataclass(frozen=True)
class Radar:
    size: int
    center: float
    axes: list[Axis]
    grid: list[str]  # one polygon per score level
    series: list[str]  # one polygon per round
    vertices: list[list[tuple[float, float]]]  # the corners of each polygon, for markers


def _point(center: float, radius: float, index: int, count: int) -> tuple[float, float]:
    # The first axis points straight up; the rest go clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return center + radius * math.cos(angle), center + radius * math.sin(angle)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(
    axis_count: int, series: Sequence[Sequence[int | None]], *, maximum: int = 5, size: int = 440, margin: int = 110
) -> Radar:
    """Axes, grid rings and one polygon per series; a missing score sits at the centre."""
    center = size / 2
    radius = size / 2 - margin  # room for the labels
    count = max(axis_count, 3)  # a polygon needs three corners
    axes = []
    for i in range(axis_count):
        x, y = _point(center, radius, i, count)
        lx, ly = _point(center, radius + 14, i, count)
        anchor = "middle" if abs(lx - center) < 1 else ("start" if lx > center else "end")
        axes.append(Axis(x, y, lx, ly, anchor))
    grid = [
        _polygon([_point(center, radius * level / maximum, i, count) for i in range(axis_count)])
        for level in range(1, maximum + 1)
    ]
    vertices = [
        [_point(center, radius * (value or 0) / maximum, i, count) for i, value in enumerate(values)]
        for values in series
    ]
    polygons = [_polygon(points) for points in vertices]
    return Radar(size=size, center=center, axes=axes, grid=grid, series=polygons, vertices=vertices)
