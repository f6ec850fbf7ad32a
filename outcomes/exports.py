"""Tables for funders as CSV and XLSX. Aggregated cells are always suppressed below 5 people."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .report import Report
from .selectors import PARTICIPANT_COLUMNS

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def indicator_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """Long format: the whole-programme line of each indicator, then one line per group of each breakdown."""
    header = [
        _("indicator"),
        _("breakdown"),
        _("group"),
        _("actual"),
        _("based on (people)"),
        _("baseline"),
        _("target"),
        _("status"),
    ]
    rows = []
    for row in report.rows:
        rows.append(
            [
                str(row.indicator.label),
                _("all"),
                "",
                row.actual,
                row.based_on,
                row.baseline,
                row.target,
                f"{row.light.symbol} {row.light.label}",
            ]
        )
    for breakdown in report.breakdowns:
        for indicator, cells in breakdown.rows:
            for group, cell in zip(breakdown.groups, cells, strict=True):
                rows.append([str(indicator.label), breakdown.label, group, cell, "", "", "", ""])
    return header, rows


def participant_table(participant_rows: list[dict]) -> tuple[list[str], list[list]]:
    header = [str(label) for _code, label in PARTICIPANT_COLUMNS]
    return header, [[row[code] for code, _label in PARTICIPANT_COLUMNS] for row in participant_rows]


def _safe(value):
    """Keep spreadsheet programs from reading a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value != "—":
        return "'" + value
    return value


def as_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def as_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
