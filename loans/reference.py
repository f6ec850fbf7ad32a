"""Payment references for bank transfers: OCR numbers as Swedish Bankgiro uses them.

A reference is digits only: a random base, a *length digit* (the total number of digits modulo 10) and a
*check digit* computed with the Luhn algorithm (modulus 10, weights 2-1 from the right) over everything
before it. Bankgiro calls this "OCR with a variable length check": the bank refuses a payment whose
reference fails the check, and the length digit catches a dropped or doubled digit that Luhn alone can miss.

Pure functions, no database: the Loan model asks `new_reference()` for candidates and checks uniqueness.
"""

from __future__ import annotations

import re
import secrets

BASE_DIGITS = 8  # 90 million references; with the length and check digits a reference has 10 digits
MIN_LENGTH, MAX_LENGTH = 2, 25  # what Bankgiro accepts


def luhn_check_digit(digits: str) -> str:
    """The digit that makes `digits + check` pass the Luhn test."""
    if not digits.isdigit():
        raise ValueError("digits only")
    total = 0
    # Double every second digit starting from the rightmost of `digits` (the check digit will follow it).
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def with_length_and_check(base: str) -> str:
    """Append the length digit and the Luhn check digit to `base`."""
    length_digit = str((len(base) + 2) % 10)
    body = base + length_digit
    return body + luhn_check_digit(body)


def new_reference() -> str:
    """A random reference (the first digit is never 0, so no bank or spreadsheet drops it)."""
    first = str(secrets.randbelow(9) + 1)
    rest = "".join(str(secrets.randbelow(10)) for _ in range(BASE_DIGITS - 1))
    return with_length_and_check(first + rest)


def normalize(text: str) -> str:
    """What the payer typed, without the spaces, dashes and dots people add when copying it."""
    return re.sub(r"[\s.\-]", "", text or "")


def is_valid_reference(text: str) -> bool:
    """A well-formed reference: digits only, 2-25 long, the right length digit and Luhn check digit."""
    number = normalize(text)
    if not (MIN_LENGTH <= len(number) <= MAX_LENGTH) or not number.isdigit():
        return False
    if len(number) >= 3 and int(number[-2]) != len(number) % 10:
        return False
    return luhn_valid(number)


def grouped(reference: str) -> str:
    """For people to read and type: groups of four from the left (e.g. `1234 5678 09`)."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


# A candidate reference inside free text (a payer's message): a run of digits, maybe split by spaces or
# dashes, as long as ours are.
_CANDIDATE = re.compile(r"(?<!\d)(\d(?:[\s\-]?\d){" + str(BASE_DIGITS + 1) + r"})(?!\d)")


def candidates_in(text: str) -> list[str]:
    """Every run of digits in `text` that has the length of our references (valid or not)."""
    return [normalize(match) for match in _CANDIDATE.findall(text or "")]
