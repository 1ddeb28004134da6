"""People who sign in: clients, clinic staff and platform staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.models import TimestampMixin, UTCDateTime, check_in
from directory.extensions import db


class PlatformRole(StrEnum):
    MODERATOR = "moderator"
    ADMIN = "admin"


MODERATING_ROLES = (PlatformRole.MODERATOR, PlatformRole.ADMIN)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(check_in("platform_role", list(PlatformRole)), name="platform_role"),
        sa.CheckConstraint("email = lower(email)", name="email_normalized"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    platform_role: Mapped[str | None] = mapped_column(sa.String(20))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id sessions and remember cookies carry (get_id): bumping it signs out
    # every session made before, at once.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Set when the account was deleted and its personal data erased (self_service.deletion).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: "<id>:<version>"."""
        return f"{self.id}:{self.session_version}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.platform_role in MODERATING_ROLES

    @property
    def is_admin(self) -> bool:
        return self.platform_role == PlatformRole.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
