"""Reading ids and numbers from query strings and checkbox lists, where no form field does it."""

from __future__ import annotations

# Larger ids than this do not fit a 64-bit database integer (SQLite and PostgreSQL refuse them).
MAX_ID = 2**63 - 1


def positive_int(value: str | None) -> int | None:
    """The value as a positive int, or None for anything else.

    `str.isdigit()` alone lets through digits `int()` cannot read ("²") and numbers the database cannot
    hold ("9" * 30); both used to end in a server error.
    """
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
