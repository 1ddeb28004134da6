"""Moderation decisions: approve, reject, unpublish, resolve flags, check credentials, appeal.

Every decision
- claims the subject only if it is still in the state the moderator saw (a conditional
  UPDATE: of two moderators at once, the second gets `Conflict`, answered 409),
- changes state only through reviews.publication.change_state (ratings and the search
  index follow in the same transaction),
- writes one AuditEntry in the same transaction (the table is append-only),
- queues the email to the reviewer through the outbox (sent only if the caller commits).

Services flush and never commit; the view commits once.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from directory.accounts.models import User
from directory.clinics.models import Membership, Role
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.moderation.reasons import REASON_LABELS, Reason
from directory.reviews.models import FlagState, Review, ReviewFlag, ReviewState
from directory.reviews.publication import change_state
from directory.therapists.models import Accreditation, AccreditationState
from directory.therapists.services import queue_reindex


class Conflict(Exception):
    """The subject is no longer in the state the decision expects (someone decided first)."""


class DecisionRefused(Exception):
    """The decision is incomplete; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class AppealRefused(Exception):
    """The review cannot be appealed (already appealed, or not rejected)."""


def _claim(row, expected: str) -> bool:
    """Take the write lock on `row` if it is still in state `expected`; reload it either way.

    A conditional UPDATE, not a read-then-write: on PostgreSQL it waits for a concurrent
    decision on the row and then sees its result; on SQLite it waits for the database's
    write lock.  Either way, of two moderators deciding at once, exactly one claims it.
    """
    model = type(row)
    claimed = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.state == expected)
        .values(state=expected)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row)
    return claimed.rowcount == 1


def _expect(review: Review, state: ReviewState) -> None:
    if not _claim(review, state):
        raise Conflict(f"This review is {review.state.replace('_', ' ')} now, not {state}.")


def _check_reason(reason: Reason | str, note: str) -> Reason:
    try:
        reason = Reason(reason)
    except ValueError as error:
        raise DecisionRefused("reason", "Choose a reason from the list.") from error
    if reason == Reason.OTHER and not note.strip():
        raise DecisionRefused("note", "Explain the decision when the reason is 'Other'.")
    return reason


def record(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int,
    *,
    clinic_id: int | None,
    before: str = "",
    after: str = "",
    reason: str = "",
    note: str = "",
    actor_email: str = "",
) -> AuditEntry:
    """Append one audit row in the caller's transaction."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else actor_email,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        clinic_id=clinic_id,
        reason_code=str(reason or ""),
        note=note,
        before_state=str(before or ""),
        after_state=str(after or ""),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _audit_review(actor, action, review, before, *, reason="", note="") -> AuditEntry:
    return record(
        actor,
        action,
        "review",
        review.id,
        clinic_id=review.clinic_id,
        before=before,
        after=review.state,
        reason=reason,
        note=note,
    )


def approve(review: Review, moderator: User) -> Review:
    """Publish a pending review: ratings, search index, audit row and the reviewer's email
    in one transaction.  Raises Conflict if the review is no longer pending."""
    _expect(review, ReviewState.PENDING)
    before = change_state(review, ReviewState.PUBLISHED)
    review.decided_at = utcnow()
    review.rejection_reason, review.decision_note = None, ""
    _audit_review(moderator, "review.approve", review, before)
    queue_email(
        review.reviewer_email,
        "review_published",
        f"Your review of {review.therapist.name} is published",
        review=review,
        therapist=review.therapist,
    )
    db.session.flush()
    return review


def appeal_link(review: Review) -> str:
    token = make_token(TokenPurpose.APPEAL_REVIEW, {"rid": review.id, "clinic": review.clinic_id})
    return external_url("moderation.appeal", token=token)


def reject(review: Review, moderator: User, reason: Reason | str, note: str = "") -> Review:
    """Reject a pending review with a reason code (a note is required for 'other').

    The reviewer is emailed the reason and, unless this was already an appeal, a signed
    link to appeal once.  Raises DecisionRefused or Conflict, having changed nothing.
    """
    reason = _check_reason(reason, note)
    _expect(review, ReviewState.PENDING)
    before = change_state(review, ReviewState.REJECTED)
    review.decided_at = utcnow()
    review.rejection_reason, review.decision_note = reason, note.strip()
    _audit_review(moderator, "review.reject", review, before, reason=reason, note=note.strip())
    queue_email(
        review.reviewer_email,
        "review_rejected",
        f"Your review of {review.therapist.name} was not published",
        review=review,
        therapist=review.therapist,
        reason=REASON_LABELS[reason],
        note=note.strip(),
        appeal_link=None if review.appealed_at else appeal_link(review),
    )
    db.session.flush()
    return review


def unpublish(review: Review, moderator: User, reason: Reason | str, note: str = "") -> Review:
    """Remove a published review (published -> removed) with a reason code.

    Ratings and the search index drop it in the same transaction; any open flags on it
    are closed as upheld; the reviewer is told why.  Raises DecisionRefused or Conflict.
    """
    reason = _check_reason(reason, note)
    _expect(review, ReviewState.PUBLISHED)
    before = change_state(review, ReviewState.REMOVED)
    now = utcnow()
    review.decided_at = now
    review.rejection_reason, review.decision_note = reason, note.strip()
    _audit_review(moderator, "review.unpublish", review, before, reason=reason, note=note.strip())
    db.session.execute(
        sa.update(ReviewFlag)
        .where(ReviewFlag.review_id == review.id, ReviewFlag.state == FlagState.OPEN)
        .values(state=FlagState.UPHELD, resolved_by_id=moderator.id, resolved_at=now)
        .execution_options(synchronize_session="fetch")
    )
    queue_email(
        review.reviewer_email,
        "review_removed",
        f"Your review of {review.therapist.name} was removed",
        review=review,
        therapist=review.therapist,
        reason=REASON_LABELS[reason],
        note=note.strip(),
    )
    db.session.flush()
    return review


def resolve_flag(
    flag: ReviewFlag, moderator: User, uphold: bool, reason: Reason | str | None = None, note=""
) -> ReviewFlag:
    """Close an open flag.  Upholding it unpublishes the review (with `reason`, or the
    flag's own reason code); dismissing leaves the review as it is.

    Raises Conflict if the flag is no longer open or the review no longer published.
    """
    if not _claim(flag, FlagState.OPEN):
        raise Conflict(f"This flag was already {flag.state}.")
    review = db.session.get(Review, flag.review_id)
    before = flag.state
    if uphold:
        unpublish(review, moderator, reason or flag.reason_code, note)
        db.session.refresh(flag)
    else:
        flag.state = FlagState.DISMISSED
        flag.resolved_by_id, flag.resolved_at = moderator.id, utcnow()
    record(
        moderator,
        "flag.uphold" if uphold else "flag.dismiss",
        "flag",
        flag.id,
        clinic_id=flag.clinic_id,
        before=before,
        after=flag.state,
        reason=(reason or flag.reason_code) if uphold else "",
        note=note.strip(),
    )
    return flag


def _expect_submitted(accreditation: Accreditation) -> None:
    if not _claim(accreditation, AccreditationState.SUBMITTED):
        raise Conflict(f"This credential is {accreditation.state} now, not waiting for a check.")


def _tell_owners(accreditation: Accreditation, template: str, subject: str) -> None:
    """Email the clinic's owners about a decision on one of their credentials."""
    owners = db.session.scalars(
        sa.select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.clinic_id == accreditation.clinic_id, Membership.role == Role.OWNER)
        .order_by(User.email)
    ).all()
    for email in owners:
        queue_email(
            email,
            template,
            subject,
            accreditation=accreditation,
            therapist=accreditation.therapist,
        )


def verify_accreditation(accreditation: Accreditation, moderator: User) -> Accreditation:
    """Mark a submitted credential as checked against the issuer's register, by whom and
    when, and queue the therapist's search document (the badge appears)."""
    _expect_submitted(accreditation)
    before = accreditation.state
    accreditation.state = AccreditationState.VERIFIED
    accreditation.verified_by_id, accreditation.verified_at = moderator.id, utcnow()
    accreditation.decision_note = ""
    record(
        moderator,
        "accreditation.verify",
        "accreditation",
        accreditation.id,
        clinic_id=accreditation.clinic_id,
        before=before,
        after=accreditation.state,
    )
    queue_reindex(accreditation.therapist)
    _tell_owners(
        accreditation,
        "accreditation_verified",
        f"{accreditation.therapist.name}'s credential is verified",
    )
    db.session.flush()
    return accreditation


def reject_accreditation(accreditation: Accreditation, moderator: User, note: str) -> Accreditation:
    """Refuse a submitted credential with a note the clinic sees; records who checked it."""
    if not note.strip():
        raise DecisionRefused("note", "Say what did not match the issuer's register.")
    _expect_submitted(accreditation)
    before = accreditation.state
    accreditation.state = AccreditationState.REJECTED
    accreditation.verified_by_id, accreditation.verified_at = moderator.id, utcnow()
    accreditation.decision_note = note.strip()
    record(
        moderator,
        "accreditation.reject",
        "accreditation",
        accreditation.id,
        clinic_id=accreditation.clinic_id,
        before=before,
        after=accreditation.state,
        note=note.strip(),
    )
    _tell_owners(
        accreditation,
        "accreditation_rejected",
        f"{accreditation.therapist.name}'s credential could not be verified",
    )
    db.session.flush()
    return accreditation


def review_for_appeal(token: str) -> Review:
    """The rejected review an appeal token names; raises InvalidToken or AppealRefused."""
    payload = read_token(TokenPurpose.APPEAL_REVIEW, token, _appeal_max_age())
    review_id, clinic_id = payload.get("rid"), payload.get("clinic")
    if not isinstance(review_id, int) or not isinstance(clinic_id, int):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    review = db.session.scalar(
        sa.select(Review).where(Review.id == review_id, Review.clinic_id == clinic_id)
    )
    if review is None:
        raise InvalidToken("invalid")
    if review.appealed_at is not None:
        raise AppealRefused("This review has already been appealed once.")
    if not can_appeal(review):
        raise AppealRefused("Only a rejected review can be appealed.")
    return review


def can_appeal(review: Review) -> bool:
    """A rejected review may be appealed once."""
    return review.state == ReviewState.REJECTED and review.appealed_at is None


def _appeal_max_age() -> int:
    # A reviewer may not read the email at once: allow four times the confirmation window.
    return 4 * current_app.config["EMAIL_TOKEN_MAX_AGE"]


def appeal(token: str, message: str) -> Review:
    """The reviewer's one appeal: rejected -> pending, marked as an appeal.

    The message is kept in the audit row.  A second appeal, or one on a review that is
    not rejected, raises AppealRefused; a bad token raises InvalidToken.
    """
    review = review_for_appeal(token)
    if not _claim(review, ReviewState.REJECTED) or review.appealed_at is not None:
        raise AppealRefused("This review has already been appealed once.")
    before = change_state(review, ReviewState.PENDING)
    review.is_appeal, review.appealed_at = True, utcnow()
    record(
        None,
        "review.appeal",
        "review",
        review.id,
        clinic_id=review.clinic_id,
        before=before,
        after=review.state,
        note=message.strip(),
        actor_email=review.reviewer_email,
    )
    return review
