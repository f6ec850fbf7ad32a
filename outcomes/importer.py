"""Reading and checking a spreadsheet of participants. Pure reading and validation; the write is in services.

The uploaded file is parsed once and only its cells are kept, in the user's session (at most 2 MB uploaded,
5 000 rows), until she applies or starts again: no file is written to disk or storage.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import OPEN_STAGES, Gender, Outcome, ResidencePermit, Stage
from coaching.normalize import name_key, normalize_email, normalize_phone
from coaching.selectors import possible_duplicates
from neem.models import Region

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
SESSION_KEY = "outcomes_import"

# (field, label, required)
FIELDS = [
    ("first_name", gettext_lazy("First name"), True),
    ("last_name", gettext_lazy("Last name"), True),
    ("email", gettext_lazy("E-mail"), False),
    ("phone", gettext_lazy("Phone"), False),
    ("date_of_birth", gettext_lazy("Date of birth"), False),
    ("gender", gettext_lazy("Gender"), False),
    ("foreign_background", gettext_lazy("Foreign background"), False),
    ("residence_permit", gettext_lazy("Residence permit"), False),
    ("household_income", gettext_lazy("Household income per month"), False),
    ("region", gettext_lazy("Region"), True),
    ("stage", gettext_lazy("Stage"), True),
    ("outcome", gettext_lazy("Outcome (for closed cases)"), False),
    ("opened_at", gettext_lazy("Date the case was opened"), False),
]
IMPORTABLE_STAGES = [*OPEN_STAGES, Stage.CLOSED]

GENDER_WORDS = {
    "f": Gender.WOMAN,
    "female": Gender.WOMAN,
    "woman": Gender.WOMAN,
    "women": Gender.WOMAN,
    "kvinna": Gender.WOMAN,
    "m": Gender.MAN,
    "male": Gender.MAN,
    "man": Gender.MAN,
    "non-binary": Gender.NON_BINARY,
    "non_binary": Gender.NON_BINARY,
    "": Gender.UNDISCLOSED,
}
YES = {"yes", "y", "true", "1", "ja", "x"}
NO = {"no", "n", "false", "0", "nej", ""}


class ImportFileError(Exception):
    pass


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]]

    def as_session(self) -> dict:
        return {"name": self.name, "header": self.header, "rows": self.rows}

    @classmethod
    def from_session(cls, data: dict) -> Table:
        return cls(name=data["name"], header=data["header"], rows=data["rows"])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(upload) -> Table:
    """The first sheet (XLSX) or the file (CSV, comma or semicolon) as text cells."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    name = upload.name or "upload"
    content = upload.read()
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # noqa: BLE001 - any broken workbook is the user's file, not our bug
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        lines = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    lines = [line for line in lines if any(line)]
    if len(lines) < 2:
        raise ImportFileError(_("The file needs a header row and at least one participant."))
    if len(lines) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than 5 000 rows; split it."))
    width = len(lines[0])
    rows = [(line + [""] * width)[:width] for line in lines[1:]]
    return Table(name=name, header=[h or f"#{i + 1}" for i, h in enumerate(lines[0])], rows=rows)


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """Columns whose heading looks like a field's name or label."""

    def simple(text) -> str:
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    headings = [simple(h) for h in header]
    mapping: dict[str, int | None] = {}
    for code, label, _required in FIELDS:
        candidates = {simple(code), simple(label)}
        mapping[code] = next((i for i, h in enumerate(headings) if h in candidates), None)
    return mapping


@dataclass
class RowCheck:
    number: int  # the row in the spreadsheet (the header is row 1)
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(text)


def _choice(text: str, choices, words: dict | None = None):
    lowered = text.strip().lower()
    if words and lowered in words:
        return words[lowered]
    for value, label in choices:
        if lowered in (str(value).lower(), str(label).lower()):
            return value
    return None


def check_rows(table: Table, mapping: dict[str, int | None], *, programme) -> list[RowCheck]:
    """Each row parsed into Participant/CaseFile values, with its errors and possible duplicates."""
    regions = {}
    for region in Region.objects.filter(programme=programme):
        regions[region.slug.lower()] = region
        regions[region.name.lower()] = region
    seen: dict[str, int] = {}
    checks = []
    for index, row in enumerate(table.rows, start=2):
        check = RowCheck(number=index)

        def cell(code: str, row=row) -> str:
            column = mapping.get(code)
            return row[column].strip() if column is not None and column < len(row) else ""

        values = check.values
        for code, label, required in FIELDS:
            if required and not cell(code):
                check.errors.append(_("%(field)s is missing.") % {"field": label})
        values["first_name"] = cell("first_name")[:100]
        values["last_name"] = cell("last_name")[:100]
        email = cell("email")
        if email:
            try:
                validate_email(email)
                values["email"] = email
            except ValidationError:
                check.errors.append(_("E-mail “%(value)s” is not a valid address.") % {"value": email})
        phone = cell("phone")
        if phone:
            if normalize_phone(phone):
                values["phone"] = phone
            else:
                check.errors.append(_("Phone “%(value)s” is not a valid number.") % {"value": phone})
        for code in ("date_of_birth", "opened_at"):
            text = cell(code)
            if text:
                try:
                    values[code] = _parse_date(text)
                except ValueError:
                    check.errors.append(_("Date “%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text})
        if values.get("date_of_birth") and values["date_of_birth"] > date.today():  # noqa: DTZ011
            check.errors.append(_("The date of birth is in the future."))
        gender = _choice(cell("gender"), Gender.choices, GENDER_WORDS)
        if gender is None:
            check.errors.append(_("Unknown gender “%(value)s”.") % {"value": cell("gender")})
        values["gender"] = gender or Gender.UNDISCLOSED
        background = cell("foreign_background").lower()
        if background in YES | NO:
            values["foreign_background"] = background in YES
        else:
            check.errors.append(_("Foreign background must be yes or no, not “%(value)s”.") % {"value": background})
        if cell("residence_permit"):
            permit = _choice(cell("residence_permit"), ResidencePermit.choices)
            if permit is None:
                check.errors.append(_("Unknown residence permit “%(value)s”.") % {"value": cell("residence_permit")})
            values["residence_permit"] = permit or ResidencePermit.UNKNOWN
        if cell("household_income"):
            try:
                income = Decimal(cell("household_income").replace(" ", "").replace(",", "."))
                if income < 0:
                    raise InvalidOperation
                values["household_income"] = income
            except InvalidOperation:
                check.errors.append(
                    _("Household income “%(value)s” is not an amount.") % {"value": cell("household_income")}
                )
        if cell("region"):
            region = regions.get(cell("region").lower())
            if region is None:
                check.errors.append(_("Unknown region “%(value)s”.") % {"value": cell("region")})
            values["region"] = region
        if cell("stage"):
            stage = _choice(cell("stage"), [(s, Stage(s).label) for s in IMPORTABLE_STAGES])
            if stage is None:
                check.errors.append(_("Unknown stage “%(value)s”.") % {"value": cell("stage")})
            values["stage"] = stage
            if stage == Stage.CLOSED:
                outcome = _choice(cell("outcome"), Outcome.choices)
                if outcome is None:
                    check.errors.append(_("A closed case needs a known outcome."))
                values["outcome"] = outcome or ""

        # Duplicates: people already registered, and earlier rows of this file.
        if values["first_name"] or email or phone:
            for person in possible_duplicates(
                email=email,
                phone=phone,
                first_name=values["first_name"],
                last_name=values["last_name"],
                date_of_birth=values.get("date_of_birth"),
            ):
                check.duplicates.append(_("Looks like %(name)s, already registered.") % {"name": person.full_name})
            keys = [
                k
                for k in (
                    normalize_email(email) and f"e:{normalize_email(email)}",
                    normalize_phone(phone) and f"p:{normalize_phone(phone)}",
                    values.get("date_of_birth")
                    and f"n:{name_key(values['first_name'], values['last_name'])}:{values['date_of_birth']}",
                )
                if k
            ]
            for key in keys:
                if key in seen:
                    check.duplicates.append(_("Same person as row %(row)s of this file.") % {"row": seen[key]})
                    break
            for key in keys:
                seen.setdefault(key, index)
        checks.append(check)
    return checks
