"""Read-only queries behind the public pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.places.models import City
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.search import cache
from directory.search.models import SearchDocument
from directory.taxonomy.models import Condition, Modality
from directory.therapists.models import Therapist
from directory.therapists.queries import listed

# A therapist needs this many published reviews to be featured on the home page.
FEATURED_MIN_REVIEWS = 3
POPULAR_TERMS = 8
TOP_CITIES = 8


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


@dataclass(frozen=True)
class TermCount:
    """A modality, condition or city and how many listed therapists it has."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class DirectoryOverview:
    modalities: list[TermCount]
    conditions: list[TermCount]
    cities: list[TermCount]


def platform_counts() -> PlatformCounts:
    therapists = db.session.scalar(sa.select(sa.func.count()).where(listed()))
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
        .where(listed(), TherapistRating.review_count >= FEATURED_MIN_REVIEWS)
        .order_by(mean.desc(), TherapistRating.review_count.desc(), Therapist.id)
        .limit(limit)
    ).all()
    return [FeaturedTherapist(*row) for row in rows]


def _term_counts(model, ids_column, limit: int) -> list[TermCount]:
    # The document keeps ids as " 3 7 12 ": one LIKE per term and document, no join table.
    pattern = "% " + sa.cast(model.id, sa.String) + " %"
    count = sa.func.count(SearchDocument.therapist_id).label("n")
    rows = db.session.execute(
        sa.select(model.slug, model.name, count)
        .join(SearchDocument, ids_column.like(pattern))
        .group_by(model.id, model.slug, model.name)
        .order_by(count.desc(), model.name)
        .limit(limit)
    ).all()
    return [TermCount(*row) for row in rows]


def _city_counts(limit: int) -> list[TermCount]:
    count = sa.func.count(SearchDocument.therapist_id).label("n")
    rows = db.session.execute(
        sa.select(City.slug, City.name, count)
        .join(SearchDocument, SearchDocument.city_id == City.id)
        .group_by(City.id, City.slug, City.name)
        .order_by(count.desc(), City.name)
        .limit(limit)
    ).all()
    return [TermCount(*row) for row in rows]


def _directory_overview() -> DirectoryOverview:
    return DirectoryOverview(
        modalities=_term_counts(Modality, SearchDocument.modality_ids, POPULAR_TERMS),
        conditions=_term_counts(Condition, SearchDocument.condition_ids, POPULAR_TERMS),
        cities=_city_counts(TOP_CITIES),
    )


def directory_overview() -> DirectoryOverview:
    """The most common modalities, conditions and cities among listed therapists, most
    therapists first, with their counts (terms no one lists are left out).

    Counted over the search documents (one per listed therapist), so each count is what
    the search finds for that filter; remembered per generation of the search index.
    """
    return cache.cached("home:overview", _directory_overview)
