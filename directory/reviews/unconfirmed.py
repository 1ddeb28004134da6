"""Reviews still waiting for their email link: resending the link, purging the forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from directory.core import outbox
from directory.core.addresses import normalize_email
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.tenancy import enter_clinic
from directory.core.urls import external_url
from directory.extensions import db
from directory.reviews.models import Review, ReviewState
from directory.reviews.submission import send_confirmation_email
from directory.therapists.models import Therapist

# An unconfirmed review is deleted this long after it was written.
PURGE_AFTER = timedelta(days=7)


# The job that answers a request for the confirmation link again, by email.
ANSWER_RESEND_TASK = "reviews.answer_resend"


def request_resend(therapist: Therapist, email: str) -> None:
    """Queue the answer to "send my confirmation link again" for `email`.

    The request does the same work for every address, one job through the outbox, and
    the job decides what to write (answer_resend): neither the page nor its timing tells
    whether the address has a review waiting.  The caller commits.
    """
    outbox.enqueue(ANSWER_RESEND_TASK, therapist_id=therapist.id, email=normalize_email(email))


def answer_resend(therapist_id: int, email: str) -> bool:
    """Queue the confirmation email again for the address's review still awaiting it, or
    an email saying none is waiting; returns whether one was.  Flushes."""
    therapist = db.session.get(Therapist, therapist_id)
    if therapist is None:
        return False  # deleted since: nothing to write about
    enter_clinic(therapist.clinic_id)  # unconfirmed rows are visible to their clinic only
    review = db.session.scalar(
        sa.select(Review).where(
            Review.therapist_id == therapist.id,
            Review.clinic_id == therapist.clinic_id,
            Review.reviewer_email == email,
            Review.state == ReviewState.AWAITING_EMAIL,
        )
    )
    if review is None or review.created_at < utcnow() - PURGE_AFTER:
        queue_email(
            email,
            "confirm_review_none_waiting",
            f"Your review of {therapist.name}",
            therapist=therapist,
            write_link=external_url("reviews.new", slug=therapist.slug),
        )
        return False
    send_confirmation_email(review, therapist)
    return True


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete every review still `awaiting_email` PURGE_AFTER after it was written.

    Returns how many went.  Idempotent; runs in the caller's transaction (which must act
    for all clinics) and never commits.  Such a review was never published, so nothing
    counts it and nothing points at it.
    """
    cutoff = (now or utcnow()) - PURGE_AFTER
    deleted = db.session.execute(
        sa.delete(Review)
        .where(Review.state == ReviewState.AWAITING_EMAIL, Review.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return deleted.rowcount
