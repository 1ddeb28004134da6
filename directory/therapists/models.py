"""Therapists, what they practise and treat, their credentials, profile views and
contact clicks."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.clinics.models import Clinic
from directory.core.models import (
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    check_in,
    tenant_foreign_key,
)
from directory.extensions import db
from directory.taxonomy.models import Condition, CredentialType, Language, Modality


class TherapistModality(TenantMixin, db.Model):
    __tablename__ = "therapist_modalities"
    __table_args__ = (tenant_foreign_key(["therapist_id"], "therapists"),)

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    modality_id: Mapped[int] = mapped_column(sa.ForeignKey("modalities.id"), primary_key=True)


class TherapistCondition(TenantMixin, db.Model):
    __tablename__ = "therapist_conditions"
    __table_args__ = (tenant_foreign_key(["therapist_id"], "therapists"),)

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    condition_id: Mapped[int] = mapped_column(sa.ForeignKey("conditions.id"), primary_key=True)


class TherapistLanguage(TenantMixin, db.Model):
    __tablename__ = "therapist_languages"
    __table_args__ = (tenant_foreign_key(["therapist_id"], "therapists"),)

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    language_code: Mapped[str] = mapped_column(
        sa.String(8), sa.ForeignKey("languages.code"), primary_key=True
    )


class Therapist(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "therapists"
    __table_args__ = (
        # The target of every child's (therapist_id, clinic_id) foreign key.
        sa.UniqueConstraint("id", "clinic_id"),
        sa.CheckConstraint(
            "years_experience IS NULL OR years_experience BETWEEN 0 AND 70",
            name="years_experience_range",
        ),
        sa.CheckConstraint(
            "price_min IS NULL OR price_max IS NULL OR price_min <= price_max",
            name="price_range_ordered",
        ),
        sa.CheckConstraint("price_min IS NULL OR price_min >= 0", name="price_min_positive"),
        sa.Index("ix_therapists_clinic_id_is_published", "clinic_id", "is_published"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    headline: Mapped[str] = mapped_column(sa.String(160), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    years_experience: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # Whole units of `currency` for one standard session.
    price_min: Mapped[int | None]
    price_max: Mapped[int | None]
    currency: Mapped[str] = mapped_column(sa.String(3), default="CAD")
    session_minutes: Mapped[int] = mapped_column(sa.SmallInteger, default=60)
    accepting_new_clients: Mapped[bool] = mapped_column(default=True)
    does_not_treat: Mapped[str] = mapped_column(sa.Text, default="")
    # Their own ways to be reached, when not the clinic's (empty: the clinic's).
    booking_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    is_published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    clinic: Mapped[Clinic] = relationship()
    modalities: Mapped[list[Modality]] = relationship(
        secondary="therapist_modalities", order_by=Modality.name, viewonly=True
    )
    conditions: Mapped[list[Condition]] = relationship(
        secondary="therapist_conditions", order_by=Condition.name, viewonly=True
    )
    languages: Mapped[list[Language]] = relationship(
        secondary="therapist_languages", order_by=Language.name, viewonly=True
    )
    accreditations: Mapped[list[Accreditation]] = relationship(
        primaryjoin="and_(Therapist.id == foreign(Accreditation.therapist_id),"
        " Therapist.clinic_id == foreign(Accreditation.clinic_id))",
        order_by="Accreditation.id",
        viewonly=True,
    )

    @property
    def is_live(self) -> bool:
        return self.is_published and self.deleted_at is None

    def __repr__(self) -> str:
        return f"<Therapist {self.slug}>"


class AccreditationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"


class Accreditation(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "accreditations"
    __table_args__ = (
        tenant_foreign_key(["therapist_id"], "therapists"),
        sa.CheckConstraint(check_in("state", list(AccreditationState)), name="state"),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on > issued_on", name="expires_after_issue"
        ),
        sa.Index("ix_accreditations_state_expires_on", "state", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(index=True)
    credential_type_id: Mapped[int] = mapped_column(sa.ForeignKey("credential_types.id"))
    issuing_body: Mapped[str] = mapped_column(sa.String(160))
    number: Mapped[str] = mapped_column(sa.String(60))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    register_url: Mapped[str] = mapped_column(sa.String(500), default="")
    state: Mapped[str] = mapped_column(sa.String(20), default=AccreditationState.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    expiry_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    therapist: Mapped[Therapist] = relationship(
        primaryjoin="and_(Therapist.id == foreign(Accreditation.therapist_id),"
        " Therapist.clinic_id == foreign(Accreditation.clinic_id))",
        viewonly=True,
    )
    credential_type: Mapped[CredentialType] = relationship(lazy="joined")


class TherapistDailyViews(TenantMixin, db.Model):
    """Profile views per therapist per day, for the clinic dashboard."""

    __tablename__ = "therapist_daily_views"
    __table_args__ = (tenant_foreign_key(["therapist_id"], "therapists"),)

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    views: Mapped[int] = mapped_column(default=0)


class ContactKind(StrEnum):
    BOOK = "book"
    CALL = "call"
    EMAIL = "email"
    WEBSITE = "website"


class TherapistDailyContacts(TenantMixin, db.Model):
    """Clicks on a profile's Book, Call, Email and website links per therapist per day,
    for the clinic dashboard (counted like profile views, by public.view_counts)."""

    __tablename__ = "therapist_daily_contacts"
    __table_args__ = (
        tenant_foreign_key(["therapist_id"], "therapists"),
        sa.CheckConstraint(check_in("kind", list(ContactKind)), name="kind"),
    )

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    clicks: Mapped[int] = mapped_column(default=0)
