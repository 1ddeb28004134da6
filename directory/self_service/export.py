"""'Export my data': everything the directory keeps about a person, as one JSON document.

The account, its reviews (in every state, with the clinic's public reply), its helpful
votes, its clinic memberships and the emails sent to its address (what they said and
when they went out).  Read through the row-level security policies for a signed-in
user's own rows (migration 0014); nothing here writes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.services import clinics_of
from directory.core.mail import SentEmail
from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.reviews.helpful import user_voter
from directory.reviews.models import ASPECTS, HelpfulVote, Review
from directory.self_service.my_reviews import written_by

FORMAT_VERSION = 1


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "email_verified_at": _when(user.email_verified_at),
        "platform_role": user.platform_role,
        "created_at": _when(user.created_at),
        "last_login_at": _when(user.last_login_at),
    }


def _review(review: Review) -> dict[str, Any]:
    therapist = review.therapist
    return {
        "id": review.id,
        "therapist": therapist.name if therapist is not None else None,
        "state": review.state,
        "provenance": review.provenance,
        "rating": review.rating,
        "aspects": {aspect: getattr(review, f"rating_{aspect}") for aspect in ASPECTS},
        "title": review.title,
        "body": review.body,
        "visit_month": _when(review.visit_month),
        "reviewer_name": review.reviewer_name,
        "reviewer_email": review.reviewer_email,
        "initials_only": review.initials_only,
        "rejection_reason": review.rejection_reason,
        "appealed_at": _when(review.appealed_at),
        "submitted_at": _when(review.submitted_at),
        "published_at": _when(review.published_at),
        "created_at": _when(review.created_at),
    }


def _emails(address: str) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(SentEmail, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.id == SentEmail.outbox_id)
        .where(SentEmail.to_address == address)
        .order_by(SentEmail.created_at, SentEmail.id)
    ).all()
    return [
        {
            "to": sent.to_address,
            "subject": sent.subject,
            "state": sent.state,
            "sent_at": _when(sent.sent_at),
            "message_id": sent.message_id,
            "text": message.payload.get("text", ""),
        }
        for sent, message in rows
    ]


def export_data(user: User) -> dict[str, Any]:
    """The person's data as a JSON-ready dict (same input, same document, but the date)."""
    reviews = db.session.scalars(
        sa.select(Review).where(written_by(user)).order_by(Review.id)
    ).all()
    votes = db.session.scalars(
        sa.select(HelpfulVote).where(HelpfulVote.voter == user_voter(user)).order_by(HelpfulVote.id)
    ).all()
    return {
        "format": "therapist-directory-account-export",
        "version": FORMAT_VERSION,
        "exported_at": _when(utcnow()),
        "account": _account(user),
        "reviews": [_review(review) for review in reviews],
        "helpful_votes": [
            {"review_id": vote.review_id, "created_at": _when(vote.created_at)} for vote in votes
        ],
        "memberships": [
            {"clinic": clinic.name, "clinic_slug": clinic.slug, "role": role}
            for clinic, role in clinics_of(user)
        ],
        "emails": _emails(user.email),
    }
