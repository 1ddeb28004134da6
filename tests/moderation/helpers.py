"""Shared set-up for the moderation tests."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import ReviewState
from tests.clinics.test_console import sign_in
from tests.factories import create_review, create_user


def moderator_client(client):
    moderator = create_user(platform_role="moderator")
    db.session.commit()
    sign_in(client, moderator)
    return moderator


def pending_review(therapist, **fields):
    fields.setdefault("submitted_at", utcnow())
    return create_review(therapist, state=ReviewState.PENDING, published_at=None, **fields)


def emails_in(folder: Path) -> list:
    if not folder.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()
