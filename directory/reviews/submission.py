"""Writing a review and proving the reviewer's address.

A guest's review waits in `awaiting_email` until the emailed link is opened; a signed-in
client with a verified address, or a client who came through a clinic's invitation, goes
straight to `pending`.  Only moderators publish (see moderation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from directory.accounts.models import User
from directory.core.addresses import InvalidEmail, checked_email
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.reviews.guards import is_disposable, live_review_by, works_at_clinic
from directory.reviews.models import ASPECTS, Provenance, Review, ReviewInvitation, ReviewState
from directory.reviews.reviewer_control import manage_link
from directory.therapists.models import Therapist


class ReviewRefused(Exception):
    """The review cannot be accepted; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class DuplicateReview(Exception):
    def __init__(self, existing: Review | None):
        super().__init__("one live review per reviewer and therapist")
        self.existing = existing


class AlreadyConfirmed(Exception):
    """The confirmation link was used before: the review's address is already confirmed."""

    def __init__(self, review: Review):
        super().__init__("already confirmed")
        self.review = review


@dataclass(frozen=True)
class ReviewDraft:
    rating: int
    title: str
    body: str
    visit_month: date
    reviewer_name: str
    initials_only: bool
    email: str
    aspects: dict[str, int | None]


def _reviewer_address(address: str | None) -> str:
    # Every review needs an address that can receive mail: the confirmation link and the
    # link to edit or withdraw are sent to it.  The form checks first; this is for any
    # other caller.
    try:
        return checked_email(address)
    except InvalidEmail as problem:
        raise ReviewRefused("email", str(problem)) from problem


def _check_guards(therapist: Therapist, email: str, user: User | None) -> None:
    if works_at_clinic(therapist.clinic_id, email, user):
        raise ReviewRefused("email", "People who work at this clinic cannot review its therapists.")
    if is_disposable(email):
        raise ReviewRefused(
            "email", "Please use a permanent email address; throwaway mailboxes are not accepted."
        )
    existing = live_review_by(therapist.id, email)
    if existing is not None:
        raise DuplicateReview(existing)


def submit_review(
    therapist: Therapist,
    draft: ReviewDraft,
    *,
    user: User | None = None,
    invitation: ReviewInvitation | None = None,
    ip_address: str = "",
) -> Review:
    """Record a review; returns it in `pending` or `awaiting_email`.

    Raises ReviewRefused (among others for an empty or malformed address) or
    DuplicateReview, having saved and queued nothing.  Guests are emailed a verification
    link through the outbox (sent only if the caller commits).
    """
    enter_clinic(therapist.clinic_id)
    email = _reviewer_address(invitation.client_email if invitation else draft.email)
    _check_guards(therapist, email, user)
    now = utcnow()
    proven = invitation is not None or (
        user is not None and user.email_verified and user.email == email
    )
    review = Review(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        user_id=user.id if user is not None else None,
        invitation_id=invitation.id if invitation else None,
        reviewer_email=email,
        reviewer_name=draft.reviewer_name.strip(),
        initials_only=draft.initials_only,
        rating=draft.rating,
        title=draft.title.strip(),
        body=draft.body.strip(),
        visit_month=draft.visit_month.replace(day=1),
        provenance=Provenance.VERIFIED_CLIENT if invitation else Provenance.EMAIL_CONFIRMED,
        state=ReviewState.PENDING if proven else ReviewState.AWAITING_EMAIL,
        email_confirmed_at=now if proven else None,
        submitted_at=now if proven else None,
        submitted_ip=ip_address[:45],
        **{f"rating_{aspect}": draft.aspects.get(aspect) for aspect in ASPECTS},
    )
    try:
        with db.session.begin_nested():
            db.session.add(review)
            if invitation is not None:
                _use_invitation(invitation, now)
    except IntegrityError as error:  # a concurrent submission won the unique index
        raise DuplicateReview(live_review_by(therapist.id, email)) from error
    if not proven:
        send_confirmation_email(review, therapist)
    return review


def _use_invitation(invitation: ReviewInvitation, now) -> None:
    used = db.session.execute(
        sa.update(ReviewInvitation)
        .where(ReviewInvitation.id == invitation.id, ReviewInvitation.used_at.is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:
        raise ReviewRefused("email", "This invitation has already been used.")


def send_confirmation_email(review: Review, therapist: Therapist) -> None:
    token = make_token(TokenPurpose.CONFIRM_REVIEW, {"rid": review.id, "clinic": review.clinic_id})
    queue_email(
        review.reviewer_email,
        "confirm_review",
        f"Confirm your review of {therapist.name}",
        review=review,
        therapist=therapist,
        link=external_url("reviews.confirm", token=token),
        manage_link=manage_link(review),
    )


def confirm_review(token: str) -> Review:
    """Move the review in the token from awaiting_email to pending, exactly once.

    The conditional UPDATE makes two concurrent clicks safe: one changes the row, the
    other finds nothing to change.  A link used before raises AlreadyConfirmed (nothing
    is done again) while its review is still there; InvalidToken('used') once it is gone.
    """
    payload = read_token(
        TokenPurpose.CONFIRM_REVIEW, token, current_app.config["EMAIL_TOKEN_MAX_AGE"]
    )
    review_id, clinic_id = payload.get("rid"), payload.get("clinic")
    if not isinstance(review_id, int) or not isinstance(clinic_id, int):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    now = utcnow()
    changed = db.session.execute(
        sa.update(Review)
        .where(
            Review.id == review_id,
            Review.clinic_id == clinic_id,
            Review.state == ReviewState.AWAITING_EMAIL,
        )
        .values(state=ReviewState.PENDING, email_confirmed_at=now, submitted_at=now)
    )
    review = db.session.get(Review, review_id)
    if changed.rowcount != 1:
        if review is not None and review.email_confirmed_at is not None:
            raise AlreadyConfirmed(review)
        raise InvalidToken("used")
    return review
