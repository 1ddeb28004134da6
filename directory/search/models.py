"""The search document: one denormalised row per published therapist, rebuilt by a worker.

Each backend adds its own text index outside this model (see directory.search.schema):
PostgreSQL two generated tsvector columns with GIN indexes and a trigram index on the name;
SQLite FTS5 tables kept in step by triggers.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.models import TenantMixin, UTCDateTime, tenant_foreign_key, utcnow
from directory.extensions import db


class SearchDocument(TenantMixin, db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        tenant_foreign_key(["therapist_id"], "therapists"),
        sa.Index("ix_search_documents_latitude_longitude", "latitude", "longitude"),
        sa.Index("ix_search_documents_rating_count", "rating_count"),
    )

    therapist_id: Mapped[int] = mapped_column(primary_key=True)
    # Grows with every change of the source rows; an older rebuild never overwrites a newer one.
    version: Mapped[int] = mapped_column(sa.BigInteger)
    slug: Mapped[str] = mapped_column(sa.String(120))
    name: Mapped[str] = mapped_column(sa.String(120))
    headline: Mapped[str] = mapped_column(sa.String(160), default="", server_default="")
    clinic_slug: Mapped[str] = mapped_column(sa.String(120))
    clinic_name: Mapped[str] = mapped_column(sa.String(120))
    city_id: Mapped[int] = mapped_column(index=True)
    city_name: Mapped[str] = mapped_column(sa.String(120))
    latitude: Mapped[float]
    longitude: Mapped[float]
    # Space-separated ids / codes, e.g. " 3 7 12 ": cheap to filter, the same on both backends.
    modality_ids: Mapped[str] = mapped_column(sa.String(400), default="")
    condition_ids: Mapped[str] = mapped_column(sa.String(400), default="")
    language_codes: Mapped[str] = mapped_column(sa.String(200), default="")
    accepting_new_clients: Mapped[bool]
    accreditation_verified: Mapped[bool] = mapped_column(index=True)
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_mean: Mapped[float | None]
    rating_score: Mapped[float] = mapped_column(default=0.0, index=True)
    # Weighted text, highest weight first.
    text_a: Mapped[str] = mapped_column(sa.Text, default="")
    text_b: Mapped[str] = mapped_column(sa.Text, default="")
    text_c: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchSynonym(db.Model):
    """Two phrases a client uses for the same thing ("pregnant", "prenatal"): reference
    data, reviewed and written by a migration; a pair works both ways (search.synonyms)."""

    __tablename__ = "search_synonyms"
    __table_args__ = (sa.UniqueConstraint("phrase", "means"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(sa.String(80))
    means: Mapped[str] = mapped_column(sa.String(80))
