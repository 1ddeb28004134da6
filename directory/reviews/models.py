"""Reviews, the invitations that prove a visit, clinic replies, flags and rating totals."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.models import (
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    check_in,
    tenant_foreign_key,
    utcnow,
)
from directory.extensions import db
from directory.therapists.models import Therapist


class ReviewState(StrEnum):
    AWAITING_EMAIL = "awaiting_email"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"


# A reviewer may hold one review in these states per therapist.
LIVE_REVIEW_STATES = (ReviewState.AWAITING_EMAIL, ReviewState.PENDING, ReviewState.PUBLISHED)


class Provenance(StrEnum):
    VERIFIED_CLIENT = "verified_client"  # written from a clinic's invitation after a visit
    EMAIL_CONFIRMED = "email_confirmed"  # organic; the reviewer proved the email address


ASPECTS = ("technique", "communication", "environment", "value")


def _rating_check(column: str, *, nullable: bool) -> sa.CheckConstraint:
    condition = f"{column} BETWEEN 1 AND 5"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return sa.CheckConstraint(condition, name=f"{column}_range")


class Review(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("id", "clinic_id"),
        tenant_foreign_key(["therapist_id"], "therapists"),
        tenant_foreign_key(["invitation_id"], "review_invitations"),
        sa.CheckConstraint(check_in("state", list(ReviewState)), name="state"),
        sa.CheckConstraint(check_in("provenance", list(Provenance)), name="provenance"),
        _rating_check("rating", nullable=False),
        *(_rating_check(f"rating_{aspect}", nullable=True) for aspect in ASPECTS),
        sa.CheckConstraint("length(body) <= 5000", name="body_length"),
        sa.CheckConstraint("reviewer_email = lower(reviewer_email)", name="email_normalized"),
        sa.Index(
            "uq_reviews_live_per_reviewer",
            "therapist_id",
            "reviewer_email",
            unique=True,
            sqlite_where=sa.text(check_in("state", LIVE_REVIEW_STATES)),
            postgresql_where=sa.text(check_in("state", LIVE_REVIEW_STATES)),
        ),
        sa.Index(
            "ix_reviews_therapist_id_state_published_at", "therapist_id", "state", "published_at"
        ),
        sa.Index("ix_reviews_state_submitted_at", "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(unique=True)
    reviewer_email: Mapped[str] = mapped_column(sa.String(254), index=True)
    reviewer_name: Mapped[str] = mapped_column(sa.String(80))
    initials_only: Mapped[bool] = mapped_column(default=False)
    # The reviewer deleted their account but kept the review published, under initials.
    by_former_member: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    rating_technique: Mapped[int | None] = mapped_column(sa.SmallInteger)
    rating_communication: Mapped[int | None] = mapped_column(sa.SmallInteger)
    rating_environment: Mapped[int | None] = mapped_column(sa.SmallInteger)
    rating_value: Mapped[int | None] = mapped_column(sa.SmallInteger)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    visit_month: Mapped[date]
    provenance: Mapped[str] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(20), default=ReviewState.AWAITING_EMAIL)
    # Bumped on every edit, so a signed edit/withdraw link works for one version only.
    revision: Mapped[int] = mapped_column(default=1)
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(40))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    is_appeal: Mapped[bool] = mapped_column(default=False)
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_ip: Mapped[str] = mapped_column(sa.String(45), default="")
    helpful_count: Mapped[int] = mapped_column(default=0)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def public_name(self) -> str:
        """The name shown with the review: initials only if the reviewer asked."""
        if not self.initials_only:
            return self.reviewer_name
        return "".join(f"{part[0].upper()}." for part in self.reviewer_name.split())

    therapist: Mapped[Therapist] = relationship(
        primaryjoin="and_(Therapist.id == foreign(Review.therapist_id),"
        " Therapist.clinic_id == foreign(Review.clinic_id))",
        viewonly=True,
    )


class ReviewInvitation(TenantMixin, db.Model):
    """A clinic's emailed request for a review after a real visit."""

    __tablename__ = "review_invitations"
    __table_args__ = (
        sa.UniqueConstraint("id", "clinic_id"),
        tenant_foreign_key(["therapist_id"], "therapists"),
        sa.Index("ix_review_invitations_therapist_id_client_email", "therapist_id", "client_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int]
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    client_email: Mapped[str] = mapped_column(sa.String(254))
    client_name: Mapped[str] = mapped_column(sa.String(80))
    visit_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReplyState(StrEnum):
    HELD = "held"  # looks like it discloses a client's details; the author must confirm
    PUBLISHED = "published"


class ClinicReply(TenantMixin, TimestampMixin, db.Model):
    """The reviewed clinic's one public answer to a review."""

    __tablename__ = "clinic_replies"
    __table_args__ = (
        tenant_foreign_key(["review_id"], "reviews"),
        sa.CheckConstraint(check_in("state", list(ReplyState)), name="state"),
        sa.CheckConstraint("length(body) <= 3000", name="body_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(unique=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(20), default=ReplyState.HELD)
    warning_acknowledged: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FlagSource(StrEnum):
    CLINIC = "clinic"
    PUBLIC = "public"


class FlagState(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class ReviewFlag(TenantMixin, db.Model):
    """A request, from the reviewed clinic or the public, that a moderator look again."""

    __tablename__ = "review_flags"
    __table_args__ = (
        tenant_foreign_key(["review_id"], "reviews"),
        sa.CheckConstraint(check_in("source", list(FlagSource)), name="source"),
        sa.CheckConstraint(check_in("state", list(FlagState)), name="state"),
        sa.Index("ix_review_flags_state_created_at", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(sa.String(10))
    flagged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reporter_email: Mapped[str] = mapped_column(sa.String(254), default="")
    reason_code: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[str] = mapped_column(sa.String(20), default=FlagState.OPEN)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HelpfulVote(TenantMixin, db.Model):
    """One visitor found one published review helpful: counted once in its helpful_count.

    `voter` is "user:<id>" for a signed-in visitor, else "visitor:<random token>" kept in
    the visitor's session (reviews.helpful)."""

    __tablename__ = "review_helpful_votes"
    __table_args__ = (
        tenant_foreign_key(["review_id"], "reviews"),
        sa.UniqueConstraint("review_id", "voter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int]
    voter: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TherapistRating(TenantMixin, db.Model):
    """Running totals over a therapist's published reviews, kept in the publishing transaction."""

    __tablename__ = "therapist_ratings"
    __table_args__ = (tenant_foreign_key(["therapist_id"], "therapists"),)

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    review_count: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    count_1: Mapped[int] = mapped_column(default=0)
    count_2: Mapped[int] = mapped_column(default=0)
    count_3: Mapped[int] = mapped_column(default=0)
    count_4: Mapped[int] = mapped_column(default=0)
    count_5: Mapped[int] = mapped_column(default=0)
    technique_sum: Mapped[int] = mapped_column(default=0)
    technique_count: Mapped[int] = mapped_column(default=0)
    communication_sum: Mapped[int] = mapped_column(default=0)
    communication_count: Mapped[int] = mapped_column(default=0)
    environment_sum: Mapped[int] = mapped_column(default=0)
    environment_count: Mapped[int] = mapped_column(default=0)
    value_sum: Mapped[int] = mapped_column(default=0)
    value_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def mean(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None


class ReviewDigestItem(TenantMixin, db.Model):
    """A published review waiting for the next daily digest of one clinic member (one who
    chose `ReviewEmails.DAILY`); the digest task sends and deletes it (reviews.notifications)."""

    __tablename__ = "review_digest_items"
    __table_args__ = (
        tenant_foreign_key(["membership_id"], "memberships"),
        tenant_foreign_key(["review_id"], "reviews"),
        sa.UniqueConstraint("membership_id", "review_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    review_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
