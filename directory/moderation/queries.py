"""What the moderation pages list: each query returns one page and the total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.reviews.models import FlagState, Review, ReviewFlag, ReviewState
from directory.therapists.models import Accreditation, AccreditationState, Therapist

AUDIT_ACTIONS = (
    "review.approve",
    "review.reject",
    "review.unpublish",
    "review.appeal",
    "flag.uphold",
    "flag.dismiss",
    "accreditation.verify",
    "accreditation.reject",
)


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def pending_reviews(offset: int, limit: int) -> tuple[list, int]:
    """Pending reviews, oldest submission first, with therapist and clinic names."""
    query = (
        sa.select(Review, Therapist.name, Clinic.name)
        .join(Therapist, Therapist.id == Review.therapist_id)
        .join(Clinic, Clinic.id == Review.clinic_id)
        .where(Review.state == ReviewState.PENDING)
    )
    rows = db.session.execute(
        query.order_by(Review.submitted_at.asc().nulls_first(), Review.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, _count(query)


def appeal_messages(review_ids: list[int]) -> dict[int, str]:
    """The latest appeal message of each review, for the queue."""
    if not review_ids:
        return {}
    rows = db.session.execute(
        sa.select(AuditEntry.subject_id, AuditEntry.note)
        .where(
            AuditEntry.action == "review.appeal",
            AuditEntry.subject_type == "review",
            AuditEntry.subject_id.in_(review_ids),
        )
        .order_by(AuditEntry.id)
    )
    return dict(rows.all())


def open_flags(offset: int, limit: int) -> tuple[list, int]:
    """Open flags, oldest first, with their review and therapist name."""
    query = (
        sa.select(ReviewFlag, Review, Therapist.name)
        .join(Review, Review.id == ReviewFlag.review_id)
        .join(Therapist, Therapist.id == Review.therapist_id)
        .where(ReviewFlag.state == FlagState.OPEN)
    )
    rows = db.session.execute(
        query.order_by(ReviewFlag.created_at, ReviewFlag.id).offset(offset).limit(limit)
    ).all()
    return rows, _count(query)


def submitted_accreditations(offset: int, limit: int) -> tuple[list, int]:
    """Credentials waiting for a check, oldest submission first."""
    query = (
        sa.select(Accreditation, Therapist.name, Clinic.name)
        .join(Therapist, Therapist.id == Accreditation.therapist_id)
        .join(Clinic, Clinic.id == Accreditation.clinic_id)
        .where(Accreditation.state == AccreditationState.SUBMITTED)
    )
    rows = db.session.execute(
        query.order_by(Accreditation.submitted_at.asc().nulls_first(), Accreditation.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, _count(query)


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    subject_type: str = ""
    moderator: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_entries(filters: AuditFilter, offset: int, limit: int) -> tuple[list, int]:
    """Audit rows, newest first, narrowed by action, subject type, actor email and dates
    (inclusive, UTC days)."""
    query = sa.select(AuditEntry)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.subject_type:
        query = query.where(AuditEntry.subject_type == filters.subject_type)
    if filters.moderator:
        query = query.where(AuditEntry.actor_email == filters.moderator.strip().lower())
    if filters.since:
        query = query.where(AuditEntry.created_at >= _day_start(filters.since))
    if filters.until:
        query = query.where(AuditEntry.created_at < _day_start(filters.until + timedelta(days=1)))
    rows = list(
        db.session.scalars(
            query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    return rows, _count(query)
