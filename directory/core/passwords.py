"""argon2id password hashing with the parameters from configuration, and what a new
password may contain.

A password must be text a person can type again.  The replacement character U+FFFD
appears when the submitted bytes were not valid UTF-8 (the browser or a password manager
sent something else than what the person saw), and control characters (C0 and C1, NUL
among them) cannot be typed on a sign-in page: a password holding either could be set
but never used.  Spaces, accents, symbols and emoji are all fine.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

REPLACEMENT_CHARACTER = "\ufffd"
UNREADABLE = (
    "The password contains a character that could not be read (\ufffd). "
    "Type it again, without that character."
)
CONTROL = (
    "The password contains an invisible control character (such as a tab or a line break). "
    "Use letters, digits, spaces and symbols."
)


class UnusablePassword(ValueError):
    """A password that cannot be set; the message is written for the person choosing it."""


def password_problem(password: str) -> str | None:
    """Why `password` cannot be set, or None if it can (length is the form's concern)."""
    if REPLACEMENT_CHARACTER in password:
        return UNREADABLE
    # Cc is C0, DEL and C1; Cs (lone surrogates) cannot even be encoded to hash.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in password):
        return CONTROL
    return None


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def hash_new_password(password: str) -> str:
    """The hash to store for a password being set; UnusablePassword if it cannot be set.

    Every place that sets a password goes through here; checking one at sign-in is
    `verify_password`, which refuses nothing (a wrong password simply does not match).
    """
    problem = password_problem(password)
    if problem is not None:
        raise UnusablePassword(problem)
    return hash_password(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
