"""Who in a clinic may do what: the one permission table.

owner   = everything;
manager = therapists, accreditations, review invitations, replies, flags, emails about new
          reviews, and see the team;
staff   = read the console, and send review invitations.
"""

from __future__ import annotations

from enum import StrEnum

from directory.clinics.models import Role


class Permission(StrEnum):
    VIEW_CONSOLE = "view_console"
    EDIT_CLINIC = "edit_clinic"
    VIEW_TEAM = "view_team"
    MANAGE_TEAM = "manage_team"
    MANAGE_THERAPISTS = "manage_therapists"
    MANAGE_ACCREDITATIONS = "manage_accreditations"
    SEND_REVIEW_INVITATIONS = "send_review_invitations"
    REPLY_TO_REVIEWS = "reply_to_reviews"
    FLAG_REVIEWS = "flag_reviews"
    # Emailed when a review of the clinic's therapist is published (reviews.notifications).
    HEAR_OF_REVIEWS = "hear_of_reviews"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            Permission.VIEW_CONSOLE,
            Permission.VIEW_TEAM,
            Permission.MANAGE_THERAPISTS,
            Permission.MANAGE_ACCREDITATIONS,
            Permission.SEND_REVIEW_INVITATIONS,
            Permission.REPLY_TO_REVIEWS,
            Permission.FLAG_REVIEWS,
            Permission.HEAR_OF_REVIEWS,
        }
    ),
    Role.STAFF: frozenset({Permission.VIEW_CONSOLE, Permission.SEND_REVIEW_INVITATIONS}),
}

ROLE_LABELS = {
    Role.OWNER: "Owner — everything, including the team and clinic details",
    Role.MANAGER: "Manager — therapists, accreditations, invitations, replies and flags",
    Role.STAFF: "Staff — read, and send review invitations",
}


def role_can(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
