"""Signed, expiring tokens for links in emails.  Every purpose has its own salt, here only.

A token signs a small payload with the app's secret and the purpose's salt, so a token made
for one purpose never validates for another.  Single use comes from what the payload
binds to (a state the use changes, such as a password hash or a review revision), checked
by the service that consumes it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenPurpose(StrEnum):
    VERIFY_ACCOUNT_EMAIL = "account.verify-email"
    RESET_PASSWORD = "account.reset-password"
    CHANGE_EMAIL = "account.change-email"
    DELETE_ACCOUNT = "account.delete"
    KNOWN_BROWSER = "account.known-browser"
    JOIN_CLINIC = "clinic.join"
    STOP_REVIEW_EMAILS = "clinic.stop-review-emails"
    CONFIRM_REVIEW = "review.confirm-email"
    MANAGE_REVIEW = "review.manage"
    APPEAL_REVIEW = "review.appeal"
    REVIEW_INVITATION = "review.invitation"


class InvalidToken(Exception):
    """The token is malformed, tampered with, for another purpose, or expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=str(purpose))


def make_token(purpose: TokenPurpose, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: TokenPurpose, token: str, max_age: int) -> dict[str, Any]:
    """The payload of a valid token; raises InvalidToken('expired' or 'invalid')."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken("expired") from error
    except BadSignature as error:
        raise InvalidToken("invalid") from error
    if not isinstance(payload, dict):
        raise InvalidToken("invalid")
    return payload
