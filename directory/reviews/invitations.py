"""Review invitations: a clinic asks a real client, after a visit, for a review.

The emailed link proves the client's address and earns the review the "verified client"
label.  A client is invited for a therapist at most once in twelve months.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic
from directory.core.addresses import InvalidEmail, checked_email
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.reviews.guards import is_disposable
from directory.reviews.models import ReviewInvitation
from directory.therapists.models import Therapist

INVITATION_LIFETIME = timedelta(days=60)
REINVITE_AFTER = timedelta(days=365)
OLDEST_VISIT = timedelta(days=365)


class InvitationRefused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def send_invitation(
    clinic: Clinic,
    therapist: Therapist,
    sender: User,
    client_email: str,
    client_name: str,
    visit_date: date,
    today: date | None = None,
) -> ReviewInvitation:
    """Invite a client to review `therapist`; raises InvitationRefused with the field at fault."""
    today = today or date.today()
    try:
        email = checked_email(client_email)
    except InvalidEmail as problem:
        raise InvitationRefused("client_email", str(problem)) from problem
    if visit_date > today:
        raise InvitationRefused("visit_date", "The visit cannot be in the future.")
    if visit_date < today - OLDEST_VISIT:
        raise InvitationRefused("visit_date", "Invite clients within a year of their visit.")
    if is_disposable(email):
        raise InvitationRefused("client_email", "That looks like a throwaway address.")
    recent = db.session.scalar(
        sa.select(ReviewInvitation.id).where(
            ReviewInvitation.therapist_id == therapist.id,
            ReviewInvitation.client_email == email,
            ReviewInvitation.created_at > utcnow() - REINVITE_AFTER,
        )
    )
    if recent is not None:
        raise InvitationRefused(
            "client_email",
            "This client was already invited to review this therapist in the last 12 months.",
        )
    invitation = ReviewInvitation(
        clinic_id=clinic.id,
        therapist_id=therapist.id,
        invited_by_id=sender.id,
        client_email=email,
        client_name=client_name.strip(),
        visit_date=visit_date,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    token = make_token(TokenPurpose.REVIEW_INVITATION, {"inv": invitation.id, "clinic": clinic.id})
    queue_email(
        email,
        "review_invitation",
        f"How was your visit with {therapist.name}?",
        invitation=invitation,
        therapist=therapist,
        clinic=clinic,
        link=external_url("reviews.invited", token=token),
    )
    return invitation


def invitation_for_token(token: str) -> ReviewInvitation:
    """The unused, unexpired invitation a link names; raises InvalidToken otherwise."""
    payload = read_token(
        TokenPurpose.REVIEW_INVITATION, token, int(INVITATION_LIFETIME.total_seconds())
    )
    invitation_id, clinic_id = payload.get("inv"), payload.get("clinic")
    if not isinstance(invitation_id, int) or not isinstance(clinic_id, int):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    invitation = db.session.scalar(
        sa.select(ReviewInvitation).where(
            ReviewInvitation.id == invitation_id, ReviewInvitation.clinic_id == clinic_id
        )
    )
    if invitation is None or invitation.used_at is not None:
        raise InvalidToken("used")
    if invitation.expires_at <= utcnow():
        raise InvalidToken("expired")
    return invitation


def invitations_of(clinic: Clinic, *, offset: int, limit: int) -> tuple[list, int]:
    """A page of the clinic's invitations, newest first, with the therapist's name."""
    base = sa.select(ReviewInvitation).where(ReviewInvitation.clinic_id == clinic.id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        sa.select(ReviewInvitation, Therapist.name)
        .join(Therapist, Therapist.id == ReviewInvitation.therapist_id)
        .where(ReviewInvitation.clinic_id == clinic.id)
        .order_by(ReviewInvitation.created_at.desc(), ReviewInvitation.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [(invitation, name) for invitation, name in rows], total
