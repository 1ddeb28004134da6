"""'My reviews': every review a signed-in person wrote, in every state and clinic, signed
in or as a guest from the address the account has verified.

Read through row-level security's `reviewer_reads_own` policy (migration 0014): the
database shows a user their own reviews wherever they are.  What the person may do with
each is decided by the domains' own rules (reviewer_control.can_manage,
moderation.services.can_appeal); the actions use the same signed links the emails carry.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.accounts.models import User
from directory.core.pagination import Page
from directory.extensions import db
from directory.moderation.reasons import REASON_LABELS
from directory.moderation.services import appeal_link, can_appeal
from directory.reviews.models import Review, ReviewState
from directory.reviews.reviewer_control import can_manage, manage_link

PER_PAGE = 10

STATE_LABELS = {
    ReviewState.AWAITING_EMAIL: "Waiting for you to confirm your email",
    ReviewState.PENDING: "Waiting for a moderator",
    ReviewState.PUBLISHED: "Published",
    ReviewState.REJECTED: "Not published",
    ReviewState.REMOVED: "Removed by a moderator",
    ReviewState.WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class MyReview:
    """A review as its author sees it, with the links to what they may still do."""

    review: Review
    state_label: str
    reason: str
    manage_url: str | None
    appeal_url: str | None


def written_by(user: User) -> sa.ColumnElement[bool]:
    """The reviews that are the user's: written signed in, or as a guest from the address
    the account has verified (the same rule as row-level security's reviewer_reads_own)."""
    if not user.email_verified:
        return Review.user_id == user.id
    return sa.or_(Review.user_id == user.id, Review.reviewer_email == user.email)


def _of(user: User):
    return sa.select(Review).where(written_by(user))


def reviews_of(user: User, number: int) -> Page[MyReview]:
    """One page of the user's reviews, newest first."""
    total = db.session.scalar(_of(user).with_only_columns(sa.func.count()).order_by(None))
    rows = db.session.scalars(
        _of(user)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .offset((number - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return Page(
        items=[describe(review) for review in rows],
        number=number,
        per_page=PER_PAGE,
        total=total or 0,
    )


def describe(review: Review) -> MyReview:
    reason = ""
    if review.state in (ReviewState.REJECTED, ReviewState.REMOVED) and review.rejection_reason:
        reason = REASON_LABELS.get(review.rejection_reason, review.rejection_reason)
    return MyReview(
        review=review,
        state_label=STATE_LABELS[ReviewState(review.state)],
        reason=reason,
        manage_url=manage_link(review) if can_manage(review) else None,
        appeal_url=appeal_link(review) if can_appeal(review) else None,
    )
