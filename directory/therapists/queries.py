"""Read-only therapist queries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.taxonomy.models import Condition, Language, Modality
from directory.therapists.models import Therapist


def listed():
    """The condition for a therapist the public may see."""
    return sa.and_(Therapist.is_published.is_(True), Therapist.deleted_at.is_(None))


def published_therapists_of(clinic: Clinic) -> list[Therapist]:
    return list(
        db.session.scalars(
            sa.select(Therapist)
            .where(Therapist.clinic_id == clinic.id, listed())
            .options(
                selectinload(Therapist.modalities),
                selectinload(Therapist.conditions),
                selectinload(Therapist.headshot),
            )
            .order_by(Therapist.name)
        )
    )


def therapists_for_console(clinic: Clinic) -> list[Therapist]:
    """Every therapist of the clinic that is not deleted, drafts first."""
    return list(
        db.session.scalars(
            sa.select(Therapist)
            .where(Therapist.clinic_id == clinic.id, Therapist.deleted_at.is_(None))
            .options(selectinload(Therapist.accreditations))
            .order_by(Therapist.is_published, Therapist.name)
        )
    )


def all_modalities() -> list[Modality]:
    return list(db.session.scalars(sa.select(Modality).order_by(Modality.name)))


def all_conditions() -> list[Condition]:
    return list(db.session.scalars(sa.select(Condition).order_by(Condition.name)))


def all_languages() -> list[Language]:
    return list(db.session.scalars(sa.select(Language).order_by(Language.name)))


def listed_therapist(slug: str) -> Therapist | None:
    """The published, not deleted therapist with this slug."""
    return db.session.scalar(sa.select(Therapist).where(Therapist.slug == slug, listed()))
