"""Read-only queries behind the public pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.places.models import City
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.taxonomy.models import Condition, Modality
from directory.therapists.models import Therapist

# A therapist needs this many published reviews to be featured on the home page.
FEATURED_MIN_REVIEWS = 3


@dataclass(frozen=True)
class PlatformCounts:
    therapists: int
    clinics: int
    published_reviews: int


@dataclass(frozen=True)
class FeaturedTherapist:
    slug: str
    name: str
    headline: str
    clinic_name: str
    city_name: str
    rating_mean: float
    review_count: int


def listed_therapists():
    return sa.and_(Therapist.is_published.is_(True), Therapist.deleted_at.is_(None))


def platform_counts() -> PlatformCounts:
    therapists = db.session.scalar(sa.select(sa.func.count()).where(listed_therapists()))
    clinics = db.session.scalar(
        sa.select(sa.func.count()).select_from(Clinic).where(Clinic.is_active.is_(True))
    )
    reviews = db.session.scalar(
        sa.select(sa.func.count()).where(Review.state == ReviewState.PUBLISHED)
    )
    return PlatformCounts(therapists or 0, clinics or 0, reviews or 0)


def featured_therapists(limit: int = 6) -> list[FeaturedTherapist]:
    """The best-rated listed therapists with enough reviews to mean something."""
    mean = (TherapistRating.rating_sum * 1.0 / TherapistRating.review_count).label("mean")
    rows = db.session.execute(
        sa.select(
            Therapist.slug,
            Therapist.name,
            Therapist.headline,
            Clinic.name,
            City.name,
            mean,
            TherapistRating.review_count,
        )
        .join(TherapistRating, TherapistRating.therapist_id == Therapist.id)
        .join(Clinic, Clinic.id == Therapist.clinic_id)
        .join(City, City.id == Clinic.city_id)
        .where(listed_therapists(), TherapistRating.review_count >= FEATURED_MIN_REVIEWS)
        .order_by(mean.desc(), TherapistRating.review_count.desc(), Therapist.id)
        .limit(limit)
    ).all()
    return [FeaturedTherapist(*row) for row in rows]


def modalities() -> list[Modality]:
    return list(db.session.scalars(sa.select(Modality).order_by(Modality.name)))


def conditions() -> list[Condition]:
    return list(db.session.scalars(sa.select(Condition).order_by(Condition.name)))
