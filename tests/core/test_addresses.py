"""The one rule for email addresses: what counts as one, and how it is stored."""

from __future__ import annotations

import pytest

from directory.core.addresses import (
    MALFORMED,
    MISSING,
    TOO_LONG,
    InvalidEmail,
    checked_email,
    email_problem,
    normalize_email,
)


def test_normalize_trims_and_lowercases():
    assert normalize_email("  Sam@Example.ORG ") == "sam@example.org"


def test_normalize_refuses_none_with_a_message_for_people():
    with pytest.raises(InvalidEmail, match="Enter an email address"):
        normalize_email(None)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        (None, MISSING),
        ("", MISSING),
        ("   ", MISSING),
        ("nope", MALFORMED),
        ("sam@", MALFORMED),
        ("@example.org", MALFORMED),
        ("sam@example", MALFORMED),
        ("sam example@example.org", MALFORMED),
        ("a" * 250 + "@example.org", TOO_LONG),
        ("sam@example.org", None),
        (" Sam@Example.org ", None),
        ("zoë@exämple.org", None),
    ],
)
def test_email_problem_names_what_is_wrong(address, problem):
    assert email_problem(address) == problem


@pytest.mark.parametrize("address", [None, "", "  ", "nope", "x" * 300 + "@example.org"])
def test_checked_email_refuses_what_cannot_receive_mail(address):
    with pytest.raises(InvalidEmail) as refusal:
        checked_email(address)
    assert str(refusal.value) == email_problem(address)


def test_checked_email_returns_the_stored_form():
    assert checked_email(" Sam@Example.ORG ") == "sam@example.org"
