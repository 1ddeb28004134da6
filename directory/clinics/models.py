"""Clinics (the tenants), their members and pending team invitations."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.clinics.opening_hours import zone
from directory.core.models import TenantMixin, TimestampMixin, UTCDateTime, check_in, utcnow
from directory.extensions import db
from directory.places.currencies import country_currency
from directory.places.models import City


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


class ReviewEmails(StrEnum):
    """What a member hears of the clinic's newly published reviews (members whose role may
    hear of them: clinics.permissions.Permission.HEAR_OF_REVIEWS)."""

    EACH = "each"  # one email per review, as it is published
    DAILY = "daily"  # one digest a day listing the day's reviews
    NONE = "none"


class Clinic(TimestampMixin, db.Model):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    # Where clients book online (http or https); a therapist's own overrides it.
    booking_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    postal_code: Mapped[str] = mapped_column(sa.String(20), default="")
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id"), index=True)
    # Entered by the clinic, or the centre of its city.
    latitude: Mapped[float]
    longitude: Mapped[float]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    city: Mapped[City] = relationship(lazy="joined")

    # Both follow the clinic's place, so moving to another city moves them too.
    @property
    def currency(self) -> str:
        """Its country's currency: what its therapists' prices are in unless they say."""
        return country_currency(self.city.country_code)

    @property
    def time_zone(self) -> ZoneInfo | None:
        """Its city's zone, in which its opening hours are kept; None if unknown."""
        return zone(self.city.timezone)

    def __repr__(self) -> str:
        return f"<Clinic {self.slug}>"


class Membership(TenantMixin, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "user_id"),
        sa.UniqueConstraint("id", "clinic_id"),  # the target of tenant foreign keys
        sa.CheckConstraint(check_in("role", list(Role)), name="role"),
        sa.CheckConstraint(check_in("review_emails", list(ReviewEmails)), name="review_emails"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    review_emails: Mapped[str] = mapped_column(
        sa.String(10), default=ReviewEmails.EACH, server_default=ReviewEmails.EACH.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    clinic: Mapped[Clinic] = relationship()


class TeamInvitation(TenantMixin, db.Model):
    """An emailed, single-use offer to join a clinic with a role."""

    __tablename__ = "team_invitations"
    __table_args__ = (sa.CheckConstraint(check_in("role", list(Role)), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClinicHours(TenantMixin, db.Model):
    """One range of a weekday's opening hours, in the clinic's local time; a weekday
    without a row is a closed day (see clinics.opening_hours)."""

    __tablename__ = "clinic_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)  # 0 is Monday
    opens: Mapped[time]
    closes: Mapped[time]


class ClinicClosure(TenantMixin, db.Model):
    """Whole days on which the clinic is shut whatever its weekly hours say."""

    __tablename__ = "clinic_closures"
    __table_args__ = (sa.CheckConstraint("starts_on <= ends_on", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(120), default="")
