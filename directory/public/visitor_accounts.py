"""Who a signed-in visitor is, as the parts of a stored page show them, without the database.

A stored page costs a signed-out visitor one Redis round trip.  A signed-in visitor's
header also shows their name, a link to moderation if they moderate, and "Your clinics"
if they are on a clinic's team; Flask-Login
would load their user row for that (a connection from the pool, a transaction, its
tenancy settings, the query), which costs more than the rest of the page.  So what a
header shows of an account is kept in the shared store as a snapshot, one subject per
account, for whoever the signed session says is signed in.

A snapshot is only made from the row Flask-Login loaded, that is, of an active user.
Every commit that changes a user row or one of their memberships starts a new generation
of their subject (`invalidation`), so the next request loads the row again (and a
deactivated account is signed out at once).

Nothing is decided from a snapshot but what a header shows: every view that acts for the
user, or shows what is theirs, uses `current_user`, which is the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import g, session
from flask_login import current_user

from directory.accounts.models import MODERATING_ROLES, User
from directory.clinics.console_links import console_url, member_clinic_slugs
from directory.public import shared_store

SNAPSHOT = "header:2"  # the snapshot's name in its subject; bumped when its fields change


@dataclass(frozen=True)
class AccountSnapshot:
    """What a page's header shows of a signed-in account."""

    display_name: str
    platform_role: str | None
    clinic_slugs: tuple[str, ...] = ()  # the clinics whose team they are on

    is_authenticated = True

    @property
    def is_moderator(self) -> bool:
        return self.platform_role in MODERATING_ROLES

    @property
    def console_url(self) -> str | None:
        """Where the header's "Your clinics" leads; None for nobody's team member."""
        return console_url(self.clinic_slugs)

    def dumps(self) -> bytes:
        fields = {
            "display_name": self.display_name,
            "platform_role": self.platform_role,
            "clinic_slugs": list(self.clinic_slugs),
        }
        return json.dumps(fields, separators=(",", ":")).encode()

    @classmethod
    def loads(cls, data: bytes) -> AccountSnapshot:
        fields = json.loads(data)
        return cls(
            display_name=fields["display_name"],
            platform_role=fields["platform_role"],
            clinic_slugs=tuple(fields.get("clinic_slugs", ())),
        )

    @classmethod
    def of(cls, user: User) -> AccountSnapshot:
        return cls(
            display_name=user.display_name,
            platform_role=user.platform_role,
            clinic_slugs=tuple(member_clinic_slugs(user)),
        )


def account_subject(user_id: str) -> str:
    return f"account:{user_id}"


def current_account() -> Any:
    """The visitor as a header shows them: the stored snapshot of their account when one
    is current, else a snapshot made from `current_user` (which loads the row; the
    snapshot is stored), or the anonymous user."""
    session_id = session.get("_user_id")
    if session_id is None:
        return current_user  # signed out: no query
    if "_login_user" in g or not shared_store.enabled():
        return _snapshot_of(current_user)  # the row loaded already, or no store
    # The session carries "<id>:<session version>" (User.get_id): a snapshot is kept per
    # version, so a session ended by a version bump never finds one and loads the row.
    user_id, _, version = str(session_id).partition(":")
    subject = account_subject(user_id)
    snapshot_name = f"{SNAPSHOT}:v{version}"
    generation, stored = shared_store.lookup(subject, snapshot_name)
    if generation is None:  # Redis is unavailable
        return _snapshot_of(current_user)
    if stored is not None:
        return AccountSnapshot.loads(stored)
    snapshot = _snapshot_of(current_user)
    if snapshot.is_authenticated:
        shared_store.store(subject, snapshot_name, generation, snapshot.dumps())
    return snapshot


def _snapshot_of(user: Any) -> Any:
    return AccountSnapshot.of(user) if user.is_authenticated else user
