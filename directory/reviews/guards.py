"""Who may review whom, and with which address."""

from __future__ import annotations

import sqlalchemy as sa
from disposable_email_domains import blocklist

from directory.accounts.models import User
from directory.clinics.models import Membership
from directory.extensions import db
from directory.reviews.models import LIVE_REVIEW_STATES, Review


def is_disposable(email: str) -> bool:
    """True for addresses at throwaway-mailbox domains (and their subdomains)."""
    domain = email.rsplit("@", 1)[-1].lower()
    parts = domain.split(".")
    return any(".".join(parts[i:]) in blocklist for i in range(len(parts) - 1))


def works_at_clinic(clinic_id: int, email: str, user: User | None) -> bool:
    """True if the signed-in user or the address belongs to the clinic's team."""
    query = (
        sa.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.clinic_id == clinic_id)
    )
    by_user = user is not None and db.session.scalar(query.where(User.id == user.id)) is not None
    by_email = db.session.scalar(query.where(User.email == email)) is not None
    return by_user or by_email


def live_review_by(therapist_id: int, email: str) -> Review | None:
    """The reviewer's review of this therapist that still counts or may come to count."""
    return db.session.scalar(
        sa.select(Review).where(
            Review.therapist_id == therapist_id,
            Review.reviewer_email == email,
            Review.state.in_(LIVE_REVIEW_STATES),
        )
    )
