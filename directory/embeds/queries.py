"""What an embed shows: exactly what the public pages show, fewer of it.

Reads run in the public scope, like the public profile's (public.therapist_profile): on
PostgreSQL the database shows only published reviews of listed therapists, and these
queries ask for exactly that, so SQLite shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.clinics.access import clinic_by_slug
from directory.clinics.models import Clinic
from directory.extensions import db
from directory.public import therapist_profile
from directory.reviews.models import Review, ReviewState
from directory.reviews.ratings import RatingOverview, clinic_totals, overview
from directory.therapists.models import Therapist
from directory.therapists.queries import listed

# A few reviews fit a small frame; the link back leads to all of them.
LATEST_REVIEWS = 3


@dataclass(frozen=True)
class EmbedReview:
    review: Review
    therapist_name: str | None  # on a clinic's embed, whom the review is about


@dataclass(frozen=True)
class Embed:
    """One embed's content: whose reviews, the public page they lead to, the rating."""

    kind: str  # "clinic" or "therapist"
    name: str
    slug: str
    rating: RatingOverview
    reviews: list[EmbedReview]


def clinic_embed(slug: str, *, with_reviews: bool = True) -> Embed | None:
    """The active clinic with this slug as its public page rates it (across its listed
    therapists), and its latest published reviews; None where its page answers 404."""
    clinic = clinic_by_slug(slug)
    if clinic is None:
        return None
    rating = overview(clinic_totals(clinic.id))
    reviews = latest_clinic_reviews(clinic) if with_reviews and rating.count else []
    return Embed("clinic", clinic.name, clinic.slug, rating, reviews)


def therapist_embed(slug: str, *, with_reviews: bool = True) -> Embed | None:
    """The listed therapist with this slug, its rating and latest published reviews; None
    where the profile answers 404."""
    found = therapist_profile.listed_with_rating(slug)
    if found is None:
        return None
    therapist, rating = found
    reviews = []
    if with_reviews and rating.count:
        page = therapist_profile.published_reviews(
            therapist, sort="newest", number=1, per_page=LATEST_REVIEWS
        )
        reviews = [EmbedReview(review, None) for review, _reply in page.items]
    return Embed("therapist", therapist.name, therapist.slug, rating, reviews)


def latest_clinic_reviews(clinic: Clinic, limit: int = LATEST_REVIEWS) -> list[EmbedReview]:
    """The clinic's newest published reviews of its listed therapists, with whom each is
    about, in one query."""
    rows = db.session.execute(
        sa.select(Review, Therapist.name)
        .join(
            Therapist,
            sa.and_(Therapist.id == Review.therapist_id, Therapist.clinic_id == Review.clinic_id),
        )
        .where(Review.clinic_id == clinic.id, Review.state == ReviewState.PUBLISHED, listed())
        .order_by(Review.published_at.desc(), Review.id.desc())
        .limit(limit)
    ).all()
    return [EmbedReview(review, name) for review, name in rows]
