"""Model mixins and column types shared by every domain."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    SQLite keeps no zone, so values read back naive; they are UTC by construction and are
    returned aware, so comparisons never mix naive and aware datetimes.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class TenantMixin:
    """A row owned by one clinic.

    Every tenant-owned table carries `clinic_id`; inside a clinic request the ORM adds
    `clinic_id = current clinic` to every query (see core.tenancy), and PostgreSQL
    row-level security enforces the same rule below the ORM.
    """

    __tenant_owned__ = True

    @declared_attr
    def clinic_id(cls) -> Mapped[int]:
        return mapped_column(
            sa.ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False, index=True
        )


def check_in(column: str, values) -> str:
    """SQL for a CHECK that `column` holds one of `values` (portable across backends)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def tenant_foreign_key(columns: list[str], parent: str) -> sa.ForeignKeyConstraint:
    """A foreign key to `parent` that includes clinic_id, so a row cannot point across clinics."""
    return sa.ForeignKeyConstraint(
        [*columns, "clinic_id"], [f"{parent}.id", f"{parent}.clinic_id"], ondelete="CASCADE"
    )
