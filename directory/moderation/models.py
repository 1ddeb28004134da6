"""The append-only record of every moderation decision."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from directory.core.models import UTCDateTime, utcnow
from directory.extensions import db


class AuditEntry(db.Model):
    """Who decided what, when, why, and the state before and after.

    Written in the same transaction as the decision; database triggers refuse UPDATE and
    DELETE on this table, so history cannot be rewritten from the application.
    """

    __tablename__ = "moderation_audit"
    __table_args__ = (sa.Index("ix_moderation_audit_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign keys: the record outlives the people and rows it mentions.
    actor_id: Mapped[int | None]
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    subject_type: Mapped[str] = mapped_column(sa.String(30))
    subject_id: Mapped[int]
    clinic_id: Mapped[int | None] = mapped_column(index=True)
    reason_code: Mapped[str] = mapped_column(sa.String(40), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    before_state: Mapped[str] = mapped_column(sa.String(20), default="")
    after_state: Mapped[str] = mapped_column(sa.String(20), default="")
