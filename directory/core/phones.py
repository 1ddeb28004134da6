"""Phone numbers as people type them, tidied for display and made dialable for `tel:`.

The check is forgiving about layout (spaces, dots, dashes, brackets, a leading +) and
strict about substance: between 7 and 15 digits, the most the international numbering
plan (E.164) allows.  Numbers are stored tidied ("+1 416 555 0123"), and `tel_uri` keeps
only the + and the digits, which is what every phone dials.
"""

from __future__ import annotations

import re

MIN_DIGITS, MAX_DIGITS = 7, 15
_ALLOWED = re.compile(r"^\+?[0-9 ().\-/]+$")


class InvalidPhone(ValueError):
    """The text is not a phone number; str() says why, for the person who typed it."""


def tidy_phone(text: str) -> str:
    """The number with its spacing tidied; '' for an empty value.  Raises InvalidPhone."""
    text = " ".join(text.split())
    if not text:
        return ""
    if not _ALLOWED.match(text):
        raise InvalidPhone(
            "A phone number has only digits, spaces, brackets, dashes and a leading +."
        )
    digits = sum(ch.isdigit() for ch in text)
    if digits < MIN_DIGITS:
        raise InvalidPhone(f"A phone number has at least {MIN_DIGITS} digits.")
    if digits > MAX_DIGITS:
        raise InvalidPhone(f"A phone number has at most {MAX_DIGITS} digits.")
    return text


def tel_uri(phone: str) -> str:
    """`tel:` and the number as dialled ('' without a number)."""
    dialled = ("+" if phone.startswith("+") else "") + "".join(ch for ch in phone if ch.isdigit())
    return f"tel:{dialled}" if dialled.strip("+") else ""
