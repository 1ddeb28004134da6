"""Email addresses: one rule for what counts as an address, and one form every table stores.

`normalize_email` is for comparing and looking up; `checked_email` is for an address about to
be stored or written to, and says what is wrong with one that cannot be.  The forms check
with the same rule (`email_problem`), so a form and a service never disagree.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, less the angle brackets

MISSING = "Enter an email address."
TOO_LONG = "That address is too long."
MALFORMED = "Enter a valid email address, like name@example.com."


class InvalidEmail(ValueError):
    """No usable address was given; the message is written for the person who typed it."""


def normalize_email(address: str | None) -> str:
    """Trimmed and lower-cased; addresses compare and stay unique in this form.

    None is not an address: it raises InvalidEmail rather than failing somewhere deeper.
    """
    if address is None:
        raise InvalidEmail(MISSING)
    return address.strip().lower()


def email_problem(address: str | None) -> str | None:
    """What is wrong with `address` as a place to send email, or None if nothing is.

    Syntax only (no DNS lookup), with the same library and settings the forms always used.
    """
    address = (address or "").strip()
    if not address:
        return MISSING
    if len(address) > MAX_LENGTH:
        return TOO_LONG
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return MALFORMED
    return None


def checked_email(address: str | None) -> str:
    """The normalised address, ready to store and write to; InvalidEmail if it cannot be."""
    problem = email_problem(address)
    if problem is not None:
        raise InvalidEmail(problem)
    return normalize_email(address)
