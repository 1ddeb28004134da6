"""The demo's sign-in accounts, their clinic memberships and what their consoles show.

Every account has a verified email and the demo password.  The owner runs two clinics
(Bang Rak Thai Massage and one other); the manager and staff member work at Bang Rak; the
client has written one of John Wintertime's reviews.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from directory.accounts.models import PlatformRole
from directory.clinics.models import Role
from directory.demo.bulk import IdAllocator, RowBatch
from directory.demo.clinics import ClinicFacts
from directory.demo.reviews import ReviewedTherapist


@dataclass(frozen=True)
class DemoAccount:
    label: str
    email: str
    display_name: str
    platform_role: str | None = None


MODERATOR = DemoAccount(
    "Moderator", "moderator@demo.example", "Maria Lopez", PlatformRole.MODERATOR.value
)
OWNER = DemoAccount("Clinic owner (2 clinics)", "owner@demo.example", "Kanya Srisai")
MANAGER = DemoAccount("Clinic manager (Bang Rak)", "manager@demo.example", "Tom Hughes")
STAFF = DemoAccount("Clinic staff (Bang Rak)", "staff@demo.example", "Ploy Chaiyaporn")
CLIENT = DemoAccount("Client", "client@demo.example", "Sam Taylor")
DEMO_ACCOUNTS = (MODERATOR, OWNER, MANAGER, STAFF, CLIENT)

USER_COLUMNS = (
    "id",
    "email",
    "password_hash",
    "display_name",
    "email_verified_at",
    "platform_role",
    "is_active",
    "last_login_at",
    "created_at",
    "updated_at",
)
MEMBERSHIP_COLUMNS = ("id", "clinic_id", "user_id", "role", "created_at")
TEAM_INVITATION_COLUMNS = (
    "id",
    "clinic_id",
    "email",
    "role",
    "invited_by_id",
    "created_at",
    "expires_at",
    "accepted_at",
    "accepted_by_id",
    "revoked_at",
)
DAILY_VIEW_COLUMNS = ("clinic_id", "therapist_id", "day", "views")
# Accounts date from when the founding clinic joined.
ACCOUNTS_AGE_DAYS = 3095


def ensure_accounts(
    connection: sa.Connection,
    ids: IdAllocator,
    batch: RowBatch,
    password_hash: str,
    anchor: datetime,
) -> dict[str, int]:
    """The demo accounts' ids by email, creating the ones that do not exist yet."""
    existing = dict(
        connection.execute(
            sa.text("SELECT email, id FROM users WHERE email IN :emails").bindparams(
                sa.bindparam("emails", expanding=True)
            ),
            {"emails": [account.email for account in DEMO_ACCOUNTS]},
        ).all()
    )
    for account in DEMO_ACCOUNTS:
        if account.email in existing:
            continue
        user_id = ids.next("users")
        created = anchor - timedelta(days=ACCOUNTS_AGE_DAYS)
        batch.add(
            "users",
            (
                user_id,
                account.email,
                password_hash,
                account.display_name,
                created,
                account.platform_role,
                True,
                None,
                created,
                created,
            ),
        )
        existing[account.email] = user_id
    return existing


def team_rows(
    owner_clinics: list[ClinicFacts],
    accounts: dict[str, int],
    ids: IdAllocator,
    batch: RowBatch,
    anchor: datetime,
) -> None:
    """Memberships for the demo staff, and one open invitation to the founding clinic's team."""
    founding, *others = owner_clinics
    joined = founding.created_at + timedelta(days=1)
    memberships = [
        (founding, OWNER, Role.OWNER),
        (founding, MANAGER, Role.MANAGER),
        (founding, STAFF, Role.STAFF),
    ]
    memberships += [(clinic, OWNER, Role.OWNER) for clinic in others]
    for clinic, account, role in memberships:
        batch.add(
            "memberships",
            (
                ids.next("memberships"),
                clinic.id,
                accounts[account.email],
                role.value,
                max(joined, clinic.created_at),
            ),
        )
    sent = anchor - timedelta(days=2)
    batch.add(
        "team_invitations",
        (
            ids.next("team_invitations"),
            founding.id,
            "new.therapist@demo.example",
            Role.STAFF.value,
            accounts[OWNER.email],
            sent,
            sent + timedelta(days=7),
            None,
            None,
            None,
        ),
    )


def daily_views(
    rng: random.Random, therapist: ReviewedTherapist, today: date, batch: RowBatch
) -> None:
    """Ninety days of profile views, busier on weekdays, for the clinic dashboard."""
    base = rng.uniform(4, 40)
    for days_ago in range(90, 0, -1):
        day = today - timedelta(days=days_ago)
        weekday_factor = 0.7 if day.weekday() >= 5 else 1.0
        views = int(base * weekday_factor * rng.uniform(0.5, 1.5))
        batch.add("therapist_daily_views", (therapist.clinic_id, therapist.id, day, views))
