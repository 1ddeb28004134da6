"""What a new password may contain: real text, never U+FFFD or a control character."""

from __future__ import annotations

import pytest

from directory.core.passwords import (
    CONTROL,
    UNREADABLE,
    UnusablePassword,
    hash_new_password,
    password_problem,
    verify_password,
)

REFUSED = {
    "replacement character": ("a long pass\ufffdword", UNREADABLE),
    "NUL": ("a long pass\x00word", CONTROL),
    "bell (C0)": ("a long pass\x07word", CONTROL),
    "escape (C0)": ("\x1ba long password", CONTROL),
    "tab": ("a long\tpassword", CONTROL),
    "line break": ("a long password\n", CONTROL),
    "DEL": ("a long password\x7f", CONTROL),
    "next line (C1)": ("a long pass\x85word", CONTROL),
    "C1 end": ("a long pass\x9fword", CONTROL),
    "lone surrogate": ("a long pass\ud800word", CONTROL),
}
ACCEPTED = [
    "correct horse battery staple",  # ordinary spaces
    "  leading and trailing  ",
    "non\u00a0breaking space",
    "Zoë-Ærøskøbing-ß!",
    "пароль-достаточно-длинный",
    "family 👨\u200d👩\u200d👧 emoji",  # zero-width joiners are part of the emoji
    "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
]


@pytest.mark.parametrize(("password", "problem"), REFUSED.values(), ids=REFUSED.keys())
def test_a_password_that_is_not_real_text_is_refused(password, problem):
    assert password_problem(password) == problem
    with pytest.raises(UnusablePassword) as refusal:
        hash_new_password(password)  # refused before any hashing: no app needed
    assert str(refusal.value) == problem


@pytest.mark.parametrize("password", ACCEPTED)
def test_spaces_accents_symbols_and_emoji_are_real_text(password):
    assert password_problem(password) is None


def test_a_usable_new_password_is_hashed_and_verifies(app):
    password_hash = hash_new_password("a long password with spaces")
    assert password_hash.startswith("$argon2id$")
    assert verify_password(password_hash, "a long password with spaces")
