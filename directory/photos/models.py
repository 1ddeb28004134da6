"""Photos: a headshot per therapist, a small gallery per clinic, and visitors' reports."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from directory.core.models import TenantMixin, UTCDateTime, check_in, tenant_foreign_key, utcnow
from directory.extensions import db
from directory.therapists.models import Therapist

# A clinic's gallery holds at most this many photos.
MAX_CLINIC_PHOTOS = 8


class PhotoKind(StrEnum):
    HEADSHOT = "headshot"
    CLINIC = "clinic"


class Photo(TenantMixin, db.Model):
    """One uploaded photo, stored as two WebP renditions under content-hashed names.

    A headshot names its therapist (one per therapist); a clinic photo names none.
    """

    __tablename__ = "photos"
    __table_args__ = (
        sa.UniqueConstraint("id", "clinic_id"),  # target of photo_reports' foreign key
        sa.UniqueConstraint("therapist_id"),  # NULLs (clinic photos) never collide
        tenant_foreign_key(["therapist_id"], "therapists"),
        sa.CheckConstraint(check_in("kind", list(PhotoKind)), name="kind"),
        sa.CheckConstraint(
            "(kind = 'headshot') = (therapist_id IS NOT NULL)", name="headshot_has_therapist"
        ),
        sa.Index("ix_photos_clinic_id_kind_position", "clinic_id", "kind", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    therapist_id: Mapped[int | None]
    # Gallery order, smallest first.
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    # What the photo shows, for people who cannot see it; empty means "Photo of <name>".
    alt_text: Mapped[str] = mapped_column(sa.String(200), default="")
    large_name: Mapped[str] = mapped_column(sa.String(80))
    large_width: Mapped[int] = mapped_column(sa.SmallInteger)
    large_height: Mapped[int] = mapped_column(sa.SmallInteger)
    small_name: Mapped[str] = mapped_column(sa.String(80))
    small_width: Mapped[int] = mapped_column(sa.SmallInteger)
    small_height: Mapped[int] = mapped_column(sa.SmallInteger)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Declared here, so therapists need not know about photos: `therapist.headshot`.
    therapist: Mapped[Therapist | None] = relationship(
        primaryjoin="and_(Therapist.id == foreign(Photo.therapist_id),"
        " Therapist.clinic_id == foreign(Photo.clinic_id))",
        viewonly=True,
        backref=backref("headshot", uselist=False, viewonly=True),
    )

    @property
    def file_names(self) -> tuple[str, str]:
        return (self.large_name, self.small_name)


class PhotoReportState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"


class PhotoReport(TenantMixin, db.Model):
    """A visitor's request that a moderator look at a photo.  A photo taken down takes its
    reports with it; the audit log keeps the decision."""

    __tablename__ = "photo_reports"
    __table_args__ = (
        tenant_foreign_key(["photo_id"], "photos"),
        sa.CheckConstraint(check_in("state", list(PhotoReportState)), name="state"),
        sa.Index("ix_photo_reports_state_created_at", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(index=True)
    reason_code: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[str] = mapped_column(sa.String(20), default=PhotoReportState.OPEN)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
