"""Telling a clinic that a review of its therapist is published, so it can reply in time.

Members whose role may hear of reviews (Permission.HEAR_OF_REVIEWS: owners and managers)
each choose how (`Membership.review_emails`): an email per review as it is published, one
daily digest, or nothing.  `review_published` runs inside the publishing transaction
(reviews.publication): it queues the emails through the outbox and files digest items,
so nothing is sent, or collected, for a publication that rolls back.  The daily task calls
`send_daily_digests`, which sends each member one email listing what was collected and
deletes it.

Every one of these emails carries a one-click unsubscribe (core.mail.unsubscribe_headers):
a signed link that needs no sign-in and sets the member's choice to "none".  Account
emails (verification, password reset) are transactional and carry none.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, ReviewEmails, Role
from directory.clinics.permissions import Permission, role_can
from directory.core.mail import queue_email, unsubscribe_headers
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.reviews.models import Review, ReviewDigestItem, ReviewState
from directory.therapists.models import Therapist

# An unsubscribe link keeps working for as long as someone may dig up an old email; it
# changes nothing but a preference, which the member can set back in the console.
UNSUBSCRIBE_LINK_MAX_AGE = 400 * 24 * 3600


def roles_that_hear() -> list[Role]:
    return [role for role in Role if role_can(role, Permission.HEAR_OF_REVIEWS)]


def _listeners(clinic_id: int, choice: ReviewEmails) -> list[tuple[Membership, User]]:
    return db.session.execute(
        sa.select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.clinic_id == clinic_id,
            Membership.role.in_(roles_that_hear()),
            Membership.review_emails == choice,
        )
        .order_by(Membership.id)
    ).all()


def review_published(review: Review) -> None:
    """Tell the review's clinic: queue an email to each member who wants one per review,
    and file a digest item for each member who wants the daily digest.

    Runs in the publishing transaction (flushes, never commits).  A review published
    again after an edit is news again, but a digest lists it once.
    """
    clinic = db.session.get(Clinic, review.clinic_id)
    for membership, user in _listeners(review.clinic_id, ReviewEmails.EACH):
        unsubscribe = unsubscribe_link(membership)
        queue_email(
            user.email,
            "clinic_review_published",
            f"New {review.rating}-star review of {review.therapist.name}",
            headers=unsubscribe_headers(unsubscribe),
            unsubscribe_link=unsubscribe,
            user=user,
            clinic=clinic,
            review=review,
            therapist=review.therapist,
            reply_link=reply_link(clinic, review),
            settings_link=settings_link(clinic),
        )
    for membership, _user in _listeners(review.clinic_id, ReviewEmails.DAILY):
        filed = db.session.scalar(
            sa.select(ReviewDigestItem.id).where(
                ReviewDigestItem.membership_id == membership.id,
                ReviewDigestItem.review_id == review.id,
            )
        )
        if filed is None:
            db.session.add(
                ReviewDigestItem(
                    clinic_id=review.clinic_id, membership_id=membership.id, review_id=review.id
                )
            )
    db.session.flush()


@dataclass(frozen=True)
class DigestEntry:
    review: Review
    therapist: Therapist
    reply_link: str


def send_daily_digests() -> int:
    """Send every member with collected reviews one email listing them; returns how many.

    Each member's items are taken with one DELETE ... RETURNING, so two runs at once never
    both send them (on PostgreSQL the second waits for the first and then finds nothing),
    and a run repeated finds nothing: idempotent.  Reviews no longer published are left
    out; a member who no longer hears of reviews gets nothing.  Queues through the outbox
    and flushes; the caller commits, and must act for all clinics.
    """
    membership_ids = db.session.scalars(
        sa.select(ReviewDigestItem.membership_id)
        .distinct()
        .order_by(ReviewDigestItem.membership_id)
    ).all()
    sent = 0
    for membership_id in membership_ids:
        review_ids = db.session.scalars(
            sa.delete(ReviewDigestItem)
            .where(ReviewDigestItem.membership_id == membership_id)
            .returning(ReviewDigestItem.review_id)
        ).all()
        membership = db.session.get(Membership, membership_id)
        if not review_ids or membership is None or not _hears(membership):
            continue
        entries = _digest_entries(membership.clinic, review_ids)
        if not entries:
            continue
        count = len(entries)
        unsubscribe = unsubscribe_link(membership)
        queue_email(
            membership.user.email,
            "clinic_review_digest",
            f"{count} new review{'s' if count != 1 else ''} for {membership.clinic.name}",
            headers=unsubscribe_headers(unsubscribe),
            unsubscribe_link=unsubscribe,
            user=membership.user,
            clinic=membership.clinic,
            entries=entries,
            settings_link=settings_link(membership.clinic),
        )
        sent += 1
    db.session.flush()
    return sent


def _hears(membership: Membership) -> bool:
    return (
        role_can(membership.role, Permission.HEAR_OF_REVIEWS)
        and membership.review_emails != ReviewEmails.NONE
    )


def _digest_entries(clinic: Clinic, review_ids: list[int]) -> list[DigestEntry]:
    rows = db.session.execute(
        sa.select(Review, Therapist)
        .join(
            Therapist,
            sa.and_(Therapist.id == Review.therapist_id, Therapist.clinic_id == Review.clinic_id),
        )
        .where(Review.id.in_(review_ids), Review.state == ReviewState.PUBLISHED)
        .order_by(Review.published_at, Review.id)
    ).all()
    return [
        DigestEntry(review, therapist, reply_link(clinic, review)) for review, therapist in rows
    ]


def choose(membership: Membership, choice: ReviewEmails) -> None:
    """Set how `membership` hears of new reviews.  Choosing none also drops what its next
    digest had collected, so an unsubscribed member gets no further email.  Flushes."""
    membership.review_emails = choice
    if choice == ReviewEmails.NONE:
        db.session.execute(
            sa.delete(ReviewDigestItem).where(ReviewDigestItem.membership_id == membership.id)
        )
    db.session.flush()


def unsubscribe_link(membership: Membership) -> str:
    token = make_token(
        TokenPurpose.STOP_REVIEW_EMAILS, {"m": membership.id, "clinic": membership.clinic_id}
    )
    return external_url("review_emails.unsubscribe", token=token)


def membership_for_unsubscribe(token: str) -> Membership:
    """The membership an unsubscribe link names, its clinic entered (the link works signed
    out).  Raises InvalidToken when the link is tampered with, too old, or its membership
    is gone."""
    payload = read_token(TokenPurpose.STOP_REVIEW_EMAILS, token, UNSUBSCRIBE_LINK_MAX_AGE)
    clinic_id, membership_id = payload.get("clinic"), payload.get("m")
    if not isinstance(clinic_id, int) or not isinstance(membership_id, int):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.id == membership_id, Membership.clinic_id == clinic_id
        )
    )
    if membership is None:
        raise InvalidToken("invalid")
    return membership


def reply_link(clinic: Clinic, review: Review) -> str:
    return external_url("manage_reviews.reply", clinic_slug=clinic.slug, review_id=review.id)


def settings_link(clinic: Clinic) -> str:
    return external_url("review_emails.settings", clinic_slug=clinic.slug)
