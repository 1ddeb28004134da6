"""Email address normalisation: one rule for every table that stores an address."""

from __future__ import annotations


def normalize_email(address: str) -> str:
    """Trimmed and lower-cased; addresses compare and stay unique in this form."""
    return address.strip().lower()
