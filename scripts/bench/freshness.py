"""From a moderator's approval to the review counting in search, through a real worker.

Each round takes the oldest pending review of a listed therapist, approves it through the
moderation service exactly as the console does, commits (the outbox relay hands the
reindex job to Celery after the commit), and polls the therapist's search document, the
row the search engine reads, until its rating_count includes the review.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask

from directory.accounts.models import PlatformRole, User
from directory.accounts.services import ensure_platform_user
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.moderation.services import approve
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.search.models import SearchDocument

MODERATOR_EMAIL = "moderator@demo.example"
POLL_SECONDS = 0.005


@dataclass
class Freshness:
    delays: list[float] = field(default_factory=list)
    timeouts: int = 0


def _moderator() -> User:
    user = db.session.scalar(sa.select(User).where(User.email == MODERATOR_EMAIL))
    if user is None or not user.is_moderator:
        user, _password = ensure_platform_user(MODERATOR_EMAIL, PlatformRole.MODERATOR)
        db.session.commit()
    return user


def _next_pending_review() -> Review | None:
    return db.session.scalar(
        sa.select(Review)
        .join(SearchDocument, SearchDocument.therapist_id == Review.therapist_id)
        .where(Review.state == ReviewState.PENDING)
        .order_by(Review.id)
        .limit(1)
    )


def _scalar(statement) -> int | None:
    """A value read in a transaction of its own, so every poll sees the latest commit."""
    value = db.session.scalar(statement)
    db.session.rollback()
    return value


def measure_approvals(app: Flask, rounds: int, timeout: float = 10.0) -> Freshness:
    """Approve `rounds` pending reviews one after another; the delay of each until its
    therapist's search document counts it.  A round that takes longer than `timeout`
    counts as a timeout, not a delay."""
    result = Freshness()
    with app.app_context():
        act_for_all_clinics()  # a moderator's request acts for all clinics
        moderator = _moderator()
        for _ in range(rounds):
            review = _next_pending_review()
            if review is None:
                break
            therapist_id = review.therapist_id
            approve(review, moderator)
            started = time.perf_counter()
            db.session.commit()
            expected = _scalar(
                sa.select(TherapistRating.review_count).where(
                    TherapistRating.therapist_id == therapist_id
                )
            )
            document = sa.select(SearchDocument.rating_count).where(
                SearchDocument.therapist_id == therapist_id
            )
            while _scalar(document) != expected:
                if time.perf_counter() - started > timeout:
                    result.timeouts += 1
                    break
                time.sleep(POLL_SECONDS)
            else:
                result.delays.append(time.perf_counter() - started)
        db.session.remove()
    return result
