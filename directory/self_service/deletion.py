"""Deleting an account: asked for with the password, confirmed from an emailed link.

What deletion does, in one transaction (the caller commits):
- the account's personal data is erased: name, email (replaced by the tombstone's
  address), a password that matches nothing, `deleted_at` set, `is_active` off and
  `session_version` bumped, so it cannot sign in and every session ends at once;
- its reviews (my_reviews.written_by: signed in, or as a guest from its verified
  address): a published one is withdrawn (reviewer_control.withdraw_review, so the
  state machine, the therapist's rating totals and the search document follow in the same
  transaction), unless the person chose to keep it published as a "former member" under
  initials; unconfirmed and pending ones are withdrawn; every one keeps only initials and
  the tombstone's address;
- its memberships are removed; the last owner of a clinic must hand it over first
  (`LastOwner`, before anything changes);
- the moderation audit keeps its rows; where they name the person by email, the email
  gives way to the tombstone id (the one change migration 0014 lets the database accept);
- the emails sent to it are kept as records of delivery, addressed to the tombstone, with
  their bodies dropped.

The account's rows live in many clinics: each is changed with that clinic entered
(tenancy.enter_clinic), and the caller's scope is put back afterwards.  Reads go through
the row-level security policies for the signed-in user's own rows (migration 0014).
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app

from directory.accounts.changes import check_password
from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, Role
from directory.clinics.services import clinics_of, is_sole_owner, remove_member
from directory.core.mail import SentEmail, queue_email
from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage
from directory.core.tenancy import current_scope, enter_clinic, restore_scope
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.reviews.models import Review, ReviewState
from directory.reviews.reviewer_control import can_manage, withdraw_review
from directory.self_service.my_reviews import written_by

TOMBSTONE_PREFIX = "deleted-user-"  # migration 0014's trigger accepts only this in the audit
TOMBSTONE_DOMAIN = "deleted.invalid"  # RFC 2606: never delivered
DELETED_NAME = "Deleted account"


class LastOwner(Exception):
    """The person is the only owner of these clinics and must hand them over first."""

    def __init__(self, clinics: list[Clinic]):
        super().__init__(", ".join(clinic.name for clinic in clinics))
        self.clinics = clinics


def initials(name: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in name.split()) or "A."


def clinics_to_hand_over(user: User) -> list[Clinic]:
    """The clinics of which `user` is the only owner."""
    previous = current_scope()
    blocked = []
    try:
        for clinic, role in clinics_of(user):
            if role == Role.OWNER:
                enter_clinic(clinic.id)
                if is_sole_owner(clinic.id, role):
                    blocked.append(clinic)
    finally:
        restore_scope(previous)
    return blocked


def request_deletion(user: User, password: str, *, keep_reviews: bool) -> None:
    """Check the password and email the link that confirms the deletion.

    Raises WrongPassword or LastOwner, having sent nothing.  The link names the account's
    session version, so it stops working when the password changes (or the account is
    deleted), and it expires after EMAIL_TOKEN_MAX_AGE.
    """
    check_password(user, password)
    blocked = clinics_to_hand_over(user)
    if blocked:
        raise LastOwner(blocked)
    token = make_token(
        TokenPurpose.DELETE_ACCOUNT,
        {"uid": user.id, "v": user.session_version, "keep": bool(keep_reviews)},
    )
    queue_email(
        user.email,
        "confirm_account_deletion",
        "Confirm that you want to delete your account",
        user=user,
        keep_reviews=keep_reviews,
        link=external_url("self_service.confirm_deletion", token=token),
    )


def read_deletion_token(token: str, user: User) -> bool:
    """Whether the deletion `token` (for `user`) keeps the published reviews; raises
    InvalidToken('expired' | 'invalid')."""
    payload = read_token(
        TokenPurpose.DELETE_ACCOUNT, token, current_app.config["EMAIL_TOKEN_MAX_AGE"]
    )
    if payload.get("uid") != user.id or payload.get("v") != user.session_version or user.is_deleted:
        raise InvalidToken("invalid")
    return bool(payload.get("keep"))


def delete_account(user: User, *, keep_reviews: bool) -> str:
    """Erase the account as the module docstring says; returns its tombstone id.

    Raises LastOwner, or InvalidToken when the account was deleted (or signed out
    everywhere) since it was loaded, having changed nothing.  Flushes; never commits.
    """
    blocked = clinics_to_hand_over(user)
    if blocked:
        raise LastOwner(blocked)
    _claim(user)
    tombstone = TOMBSTONE_PREFIX + secrets.token_hex(8)
    tombstone_email = f"{tombstone}@{TOMBSTONE_DOMAIN}"
    reviews = list(db.session.scalars(sa.select(Review).where(written_by(user))))
    emails = {user.email, *(review.reviewer_email for review in reviews)}
    memberships = [clinic.id for clinic, _role in clinics_of(user)]
    previous = current_scope()
    try:
        for review in reviews:
            enter_clinic(review.clinic_id)
            _retire_review(review, keep=keep_reviews, email=tombstone_email)
        for clinic_id in memberships:
            enter_clinic(clinic_id)
            membership = db.session.scalar(
                sa.select(Membership).where(
                    Membership.clinic_id == clinic_id, Membership.user_id == user.id
                )
            )
            remove_member(membership)
    finally:
        restore_scope(previous)
    _tombstone_audit(user, emails, tombstone)
    _forget_sent_emails(user.email, tombstone_email)
    user.display_name = DELETED_NAME
    user.email = tombstone_email
    user.password_hash = "!" + secrets.token_hex(16)  # no argon2 hash: matches nothing
    user.email_verified_at = None
    user.platform_role = None
    user.is_active = False
    user.deleted_at = utcnow()
    db.session.flush()
    return tombstone


def _claim(user: User) -> None:
    """End every session of the account, if nobody did since it was loaded.

    The conditional UPDATE makes a deletion happen once: of two concurrent confirmations
    one bumps the version, the other (blocked on the row lock, then re-checked) finds
    nothing and gets InvalidToken('invalid').
    """
    claimed = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            User.session_version == user.session_version,
            User.deleted_at.is_(None),
        )
        .values(session_version=user.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvalidToken("invalid")
    db.session.refresh(user)


def _retire_review(review: Review, *, keep: bool, email: str) -> None:
    if keep and review.state == ReviewState.PUBLISHED:
        review.by_former_member = True
        review.initials_only = True
    elif can_manage(review):
        withdraw_review(review)
    review.reviewer_name = initials(review.reviewer_name)
    review.reviewer_email = email
    db.session.flush()


def _tombstone_audit(user: User, emails: set[str], tombstone: str) -> None:
    """The audit keeps every row; the person's email in it gives way to the tombstone."""
    db.session.execute(
        sa.update(AuditEntry)
        .where(sa.or_(AuditEntry.actor_id == user.id, AuditEntry.actor_email.in_(emails)))
        .where(AuditEntry.actor_email.not_like(f"{TOMBSTONE_PREFIX}%"))
        .values(actor_email=tombstone)
        .execution_options(synchronize_session=False)
    )


def _forget_sent_emails(address: str, tombstone_email: str) -> None:
    """Delivered emails stay recorded (their Message-IDs, when), not what they said."""
    delivered = db.session.scalars(sa.select(SentEmail).where(SentEmail.to_address == address))
    for sent in delivered:
        sent.to_address = tombstone_email
        message = db.session.get(OutboxMessage, sent.outbox_id)
        if message is not None:
            message.payload = {
                "to": tombstone_email,
                "subject": "(erased with the account)",
                "template": message.payload.get("template", ""),
                "text": "",
            }
