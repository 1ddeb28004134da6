"""The reviewer's own control over a review: edit it or withdraw it from a signed link.

Every email to a reviewer carries `manage_link(review)`.  The token binds the review's id,
its clinic and its `revision`; an edit or a withdrawal bumps the revision with a
conditional UPDATE, so a link works for one version of the review only, and of two
concurrent uses of the same link exactly one wins.  States change only through
`publication.change_state` (the state machine, plus the ratings and search when a review
leaves `published`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.reviews.models import ASPECTS, LIVE_REVIEW_STATES, Review, ReviewState
from directory.reviews.publication import change_state

# A reviewer may come back months later; the revision, not the age, retires old links.
DEFAULT_MANAGE_LINK_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class ReviewChanges:
    rating: int
    title: str
    body: str
    visit_month: date
    reviewer_name: str
    initials_only: bool
    aspects: dict[str, int | None]


def manage_token(review: Review) -> str:
    return make_token(
        TokenPurpose.MANAGE_REVIEW,
        {"rid": review.id, "clinic": review.clinic_id, "rev": review.revision},
    )


def manage_link(review: Review) -> str:
    """The absolute edit/withdraw link for the review as it is now (put it in every email)."""
    return external_url("reviews.manage", token=manage_token(review))


def can_manage(review: Review) -> bool:
    """The reviewer may still edit or withdraw the review (its manage link works)."""
    return review.state in LIVE_REVIEW_STATES


def _max_age() -> int:
    return current_app.config.get("REVIEW_MANAGE_LINK_MAX_AGE", DEFAULT_MANAGE_LINK_MAX_AGE)


def review_for_token(token: str) -> Review:
    """The live review a manage token names, in the version it was made for.

    Enters the review's clinic.  Raises InvalidToken('expired' | 'invalid' | 'used'):
    'used' when the review changed since (edited, withdrawn or decided for good).
    """
    payload = read_token(TokenPurpose.MANAGE_REVIEW, token, _max_age())
    review_id, clinic_id, revision = payload.get("rid"), payload.get("clinic"), payload.get("rev")
    if not all(isinstance(value, int) for value in (review_id, clinic_id, revision)):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    review = db.session.scalar(
        sa.select(Review).where(Review.id == review_id, Review.clinic_id == clinic_id)
    )
    if review is None:
        raise InvalidToken("invalid")
    if review.revision != revision or not can_manage(review):
        raise InvalidToken("used")
    return review


def _claim(review: Review) -> None:
    """Bump the revision if nobody else did since the review was loaded.

    The conditional UPDATE is the single-use check: of two concurrent uses one changes
    the row, the other (blocked on the row lock, then re-checked) finds nothing.
    """
    claimed = db.session.execute(
        sa.update(Review)
        .where(
            Review.id == review.id,
            Review.clinic_id == review.clinic_id,
            Review.revision == review.revision,
            Review.state.in_(LIVE_REVIEW_STATES),
        )
        .values(revision=review.revision + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvalidToken("used")
    db.session.refresh(review)


def edit_review(review: Review, changes: ReviewChanges) -> Review:
    """Apply the reviewer's edit; flushes, the caller commits.

    Guarantees: the link used stops working (revision bumped, once even under concurrent
    saves, else InvalidToken('used')); a published review goes back to `pending` and
    leaves the ratings in the same transaction; an unconfirmed one still waits for its
    email.  The reviewer is emailed a fresh link.
    """
    _claim(review)
    if review.state == ReviewState.PUBLISHED:
        # Before the new values: the totals must lose exactly what they had counted.
        change_state(review, ReviewState.PENDING)
    review.rating = changes.rating
    review.title = changes.title.strip()
    review.body = changes.body.strip()
    review.visit_month = changes.visit_month.replace(day=1)
    review.reviewer_name = changes.reviewer_name.strip()
    review.initials_only = changes.initials_only
    for aspect in ASPECTS:
        setattr(review, f"rating_{aspect}", changes.aspects.get(aspect))
    if review.state == ReviewState.PENDING:
        # Checked again from the start, so the moderation clock starts again too.
        review.submitted_at = utcnow()
        review.decided_at = None
    db.session.flush()
    queue_email(
        review.reviewer_email,
        "review_changed",
        "Your review was updated",
        review=review,
        manage_link=manage_link(review),
    )
    return review


def withdraw_review(review: Review) -> Review:
    """Withdraw the review for good; flushes, the caller commits.

    Single use even under concurrent clicks (InvalidToken('used') for the loser); a
    published review leaves the ratings in the same transaction.
    """
    _claim(review)
    change_state(review, ReviewState.WITHDRAWN)
    db.session.flush()
    return review


def send_manage_link(review: Review) -> None:
    """Email the reviewer the private link to edit or withdraw their existing review.

    Used when someone tries to review the same therapist again: the offer goes to the
    address, so only its owner can act on it.
    """
    queue_email(
        review.reviewer_email,
        "review_manage_link",
        f"Edit your review of {review.therapist.name}",
        review=review,
        manage_link=manage_link(review),
    )
