"""Clinics: registration, details, and the team (memberships and invitations).

Services flush; the view commits.  Emails leave through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, Role, TeamInvitation
from directory.core.addresses import checked_email, normalize_email
from directory.core.links import checked_web_address
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.phones import tidy_phone
from directory.core.slugs import unique_slug
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db
from directory.places.models import City
from directory.therapists.queries import published_therapists_of
from directory.therapists.services import queue_reindex

COORDINATE_DECIMALS = 6

TEAM_INVITATION_LIFETIME = timedelta(days=7)


class ClinicNameTaken(Exception):
    pass


class LastOwner(Exception):
    """The change would leave the clinic without an owner."""


class AlreadyMember(Exception):
    pass


class InvitationNotForYou(Exception):
    def __init__(self, email: str):
        super().__init__(email)
        self.email = email


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    website: str
    phone: str
    email: str
    address: str
    postal_code: str
    city: City
    description: str
    latitude: float | None = None
    longitude: float | None = None
    booking_url: str = ""


def name_in_use(name: str, *, exclude_id: int | None = None) -> bool:
    query = sa.select(Clinic.id).where(sa.func.lower(Clinic.name) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(Clinic.id != exclude_id)
    return db.session.scalar(query) is not None


def _apply_details(clinic: Clinic, details: ClinicDetails) -> None:
    clinic.name = details.name.strip()
    clinic.website = checked_web_address(details.website)
    clinic.phone = tidy_phone(details.phone)
    clinic.booking_url = checked_web_address(details.booking_url)
    clinic.email = normalize_email(details.email) if details.email else ""
    clinic.address = details.address.strip()
    clinic.postal_code = details.postal_code.strip()
    clinic.description = details.description.strip()
    clinic.city_id = details.city.id
    # Entered coordinates win, to a millionth of a degree (about 10 cm: nothing finer is
    # meaningful, and PostgreSQL refuses distances whose squares underflow, as 1e-200
    # degrees from the equator would); otherwise the centre of the city.
    if details.latitude is not None and details.longitude is not None:
        clinic.latitude = round(details.latitude, COORDINATE_DECIMALS)
        clinic.longitude = round(details.longitude, COORDINATE_DECIMALS)
    else:
        clinic.latitude, clinic.longitude = details.city.latitude, details.city.longitude


def register_clinic(owner: User, details: ClinicDetails) -> Clinic:
    """Create a clinic with `owner` as its first owner; its slug is fixed from the name."""
    if name_in_use(details.name):
        raise ClinicNameTaken(details.name)
    clinic = Clinic(slug=unique_slug(Clinic, details.name))
    _apply_details(clinic, details)
    db.session.add(clinic)
    db.session.flush()
    enter_clinic(clinic.id)
    db.session.add(Membership(clinic_id=clinic.id, user_id=owner.id, role=Role.OWNER))
    db.session.flush()
    return clinic


def update_clinic(clinic: Clinic, details: ClinicDetails) -> Clinic:
    """Change a clinic's details; the slug (and so every link to it) stays.

    Its listed therapists' search documents carry the clinic's name, city and coordinates,
    so each is rebuilt (through the outbox, after the commit).
    """
    if name_in_use(details.name, exclude_id=clinic.id):
        raise ClinicNameTaken(details.name)
    _apply_details(clinic, details)
    db.session.flush()
    for therapist in published_therapists_of(clinic):
        queue_reindex(therapist)
    return clinic


def clinics_of(user: User) -> list[tuple[Clinic, str]]:
    """The clinics `user` belongs to, with the role in each, by name."""
    rows = db.session.execute(
        sa.select(Clinic, Membership.role)
        .join(Membership, Membership.clinic_id == Clinic.id)
        .where(Membership.user_id == user.id, Clinic.is_active.is_(True))
        .order_by(Clinic.name)
        .execution_options(all_clinics=True)
    ).all()
    return [(clinic, role) for clinic, role in rows]


def team_of(clinic: Clinic) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.clinic_id == clinic.id)
            .join(User, User.id == Membership.user_id)
            .order_by(Membership.role, User.display_name)
        )
    )


def open_invitations(clinic: Clinic) -> list[TeamInvitation]:
    return list(
        db.session.scalars(
            sa.select(TeamInvitation)
            .where(
                TeamInvitation.clinic_id == clinic.id,
                TeamInvitation.accepted_at.is_(None),
                TeamInvitation.revoked_at.is_(None),
                TeamInvitation.expires_at > utcnow(),
            )
            .order_by(TeamInvitation.created_at.desc())
        )
    )


def _owner_count(clinic_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Membership.clinic_id == clinic_id, Membership.role == Role.OWNER
        )
    )


def is_sole_owner(clinic_id: int, role: str) -> bool:
    """A member with `role` is the clinic's only owner (who must hand it over before leaving).

    Counts the clinic's memberships: call it with the clinic entered."""
    return role == Role.OWNER and _owner_count(clinic_id) <= 1


def invite_member(clinic: Clinic, invited_by: User, email: str, role: Role) -> TeamInvitation:
    """Email `email` a signed, expiring, single-use link to join `clinic` with `role`.

    Raises InvalidEmail or AlreadyMember, having saved and queued nothing.
    """
    email = checked_email(email)
    already = db.session.scalar(
        sa.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.clinic_id == clinic.id, User.email == email)
    )
    if already is not None:
        raise AlreadyMember(email)
    invitation = TeamInvitation(
        clinic_id=clinic.id,
        email=email,
        role=role,
        invited_by_id=invited_by.id,
        expires_at=utcnow() + TEAM_INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    token = make_token(TokenPurpose.JOIN_CLINIC, {"inv": invitation.id, "clinic": clinic.id})
    queue_email(
        email,
        "team_invitation",
        f"Join {clinic.name} on Therapist Directory",
        clinic=clinic,
        invited_by=invited_by,
        role=role,
        link=external_url("clinics.join", token=token),
        expires_at=invitation.expires_at,
    )
    return invitation


def invitation_for_token(token: str) -> TeamInvitation:
    """The open invitation a join link names; raises InvalidToken if expired, used or revoked."""
    payload = read_token(
        TokenPurpose.JOIN_CLINIC,
        token,
        int(TEAM_INVITATION_LIFETIME.total_seconds()),
    )
    clinic_id, invitation_id = payload.get("clinic"), payload.get("inv")
    if not isinstance(clinic_id, int) or not isinstance(invitation_id, int):
        raise InvalidToken("invalid")
    enter_clinic(clinic_id)
    invitation = db.session.scalar(
        sa.select(TeamInvitation)
        .where(TeamInvitation.id == invitation_id, TeamInvitation.clinic_id == clinic_id)
        .with_for_update()
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise InvalidToken("invalid")
    if invitation.expires_at <= utcnow():
        raise InvalidToken("expired")
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """Join the clinic of the invitation as `user`.  Works once; the address must match.

    The row is locked while it is used, so two concurrent clicks cannot both join.
    """
    invitation = invitation_for_token(token)
    if invitation.email != user.email:
        raise InvitationNotForYou(invitation.email)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the emailed link proves the address
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.clinic_id == invitation.clinic_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(
            clinic_id=invitation.clinic_id, user_id=user.id, role=invitation.role
        )
        db.session.add(membership)
    db.session.flush()
    return membership


def revoke_invitation(invitation: TeamInvitation) -> None:
    if invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


def change_role(membership: Membership, role: Role) -> Membership:
    """Give a member another role; the last owner cannot stop being one."""
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owner_count(membership.clinic_id) <= 1
    ):
        raise LastOwner()
    membership.role = role
    db.session.flush()
    return membership


def remove_member(membership: Membership) -> None:
    """Remove a member from the clinic; the last owner stays."""
    if is_sole_owner(membership.clinic_id, membership.role):
        raise LastOwner()
    db.session.delete(membership)
    db.session.flush()
