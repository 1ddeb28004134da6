"""Who a signed-in visitor is, as the parts of a stored page show them, without the database.

A stored page costs a signed-out visitor one Redis round trip.  A signed-in visitor's
header also shows their name, and a link to moderation if they moderate; Flask-Login
would load their user row for that (a connection from the pool, a transaction, its
tenancy settings, the query), which costs more than the rest of the page.  So what a
header shows of an account is kept in the shared store as a snapshot, one subject per
account, for whoever the signed session says is signed in.

A snapshot is only made from the row Flask-Login loaded, that is, of an active user.
Every commit that changes a user row starts a new generation of their subject
(`invalidation`), so the next request loads the row again (and a deactivated account is
signed out at once).

Nothing is decided from a snapshot but what a header shows: every view that acts for the
user, or shows what is theirs, uses `current_user`, which is the row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from flask import g, session
from flask_login import current_user

from directory.accounts.models import MODERATING_ROLES, User
from directory.public import shared_store

SNAPSHOT = "header:1"  # the snapshot's name in its subject; bumped when its fields change


@dataclass(frozen=True)
class AccountSnapshot:
    """What a page's header shows of a signed-in account."""

    display_name: str
    platform_role: str | None

    is_authenticated = True

    @property
    def is_moderator(self) -> bool:
        return self.platform_role in MODERATING_ROLES

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), separators=(",", ":")).encode()

    @classmethod
    def loads(cls, data: bytes) -> AccountSnapshot:
        fields = json.loads(data)
        return cls(display_name=fields["display_name"], platform_role=fields["platform_role"])

    @classmethod
    def of(cls, user: User) -> AccountSnapshot:
        return cls(display_name=user.display_name, platform_role=user.platform_role)


def account_subject(user_id: str) -> str:
    return f"account:{user_id}"


def current_account() -> Any:
    """The visitor as a header shows them: the snapshot of their account when one is
    current, else `current_user` (which loads the row; a snapshot of it is stored)."""
    session_id = session.get("_user_id")
    if session_id is None or "_login_user" in g or not shared_store.enabled():
        return current_user  # signed out (no query), the row loaded already, or no store
    # The session carries "<id>:<session version>" (User.get_id): a snapshot is kept per
    # version, so a session ended by a version bump never finds one and loads the row.
    user_id, _, version = str(session_id).partition(":")
    subject = account_subject(user_id)
    snapshot = f"{SNAPSHOT}:v{version}"
    generation, stored = shared_store.lookup(subject, snapshot)
    if generation is None:  # Redis is unavailable
        return current_user
    if stored is not None:
        return AccountSnapshot.loads(stored)
    user = current_user._get_current_object()
    if user.is_authenticated:
        shared_store.store(subject, snapshot, generation, AccountSnapshot.of(user).dumps())
    return user
