"""The ranking formula, in one place.

A therapist's ranking score is a Bayesian average: their published ratings plus
PRIOR_WEIGHT imaginary reviews at the platform's mean rating.  A therapist with two
five-star reviews does not outrank one with two hundred reviews averaging 4.8; as reviews
accumulate the score converges to the plain mean.  Pages show the plain mean and the
count; the score only orders results.

    score = (PRIOR_WEIGHT * platform_mean + sum_of_ratings) / (PRIOR_WEIGHT + count)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from directory.core.database import insert_or_on_conflict
from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import ASPECTS, Review, ReviewState, TherapistRating
from directory.therapists.models import Therapist
from directory.therapists.queries import listed

PRIOR_WEIGHT = 5
# Used until the platform has published reviews of its own.
DEFAULT_PLATFORM_MEAN = 4.0


def bayesian_score(rating_sum: int, count: int, platform_mean: float) -> float:
    return (PRIOR_WEIGHT * platform_mean + rating_sum) / (PRIOR_WEIGHT + count)


def platform_mean() -> float:
    """The mean of every published rating on the platform.

    Summing every therapist's totals is the costliest read of a profile page, and the
    mean of a million ratings barely moves in a minute: each process keeps it for
    PLATFORM_MEAN_CACHE_SECONDS (0 in tests, which check it exactly).
    """
    seconds = current_app.config["PLATFORM_MEAN_CACHE_SECONDS"]
    key = str(db.engine.url)
    kept = _platform_means.get(key)
    if seconds > 0 and kept is not None and kept[0] > time.monotonic():
        return kept[1]
    mean = _compute_platform_mean()
    _platform_means[key] = (time.monotonic() + seconds, mean)
    return mean


# Per process: database URL -> (valid until, mean).
_platform_means: dict[str, tuple[float, float]] = {}


def _compute_platform_mean() -> float:
    total, count = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(TherapistRating.rating_sum), 0),
            sa.func.coalesce(sa.func.sum(TherapistRating.review_count), 0),
        ).execution_options(all_clinics=True)
    ).one()
    return total / count if count else DEFAULT_PLATFORM_MEAN


# The columns a published review adds to, and the value it adds.
def _contribution(review: Review, sign: int) -> dict[str, int]:
    values = {
        "review_count": sign,
        "rating_sum": sign * review.rating,
        f"count_{review.rating}": sign,
    }
    for aspect in ASPECTS:
        score = getattr(review, f"rating_{aspect}")
        if score is not None:
            values[f"{aspect}_sum"] = sign * score
            values[f"{aspect}_count"] = sign
    return values


def _ensure_row(therapist_id: int, clinic_id: int) -> None:
    """Create the therapist's totals row if missing; a concurrent creator is harmless."""
    db.session.execute(
        insert_or_on_conflict(TherapistRating)
        .values(therapist_id=therapist_id, clinic_id=clinic_id)
        .on_conflict_do_nothing(index_elements=["therapist_id"])
    )


def _add(review: Review, sign: int) -> None:
    _ensure_row(review.therapist_id, review.clinic_id)
    table = TherapistRating.__table__
    # One UPDATE of `x = x + delta`: the database serialises concurrent writers on the
    # row, so two publishes at once both count.
    db.session.execute(
        sa.update(table)
        .where(table.c.therapist_id == review.therapist_id)
        .values(
            {
                table.c[name]: table.c[name] + delta
                for name, delta in _contribution(review, sign).items()
            }
            | {table.c.updated_at: utcnow()}
        )
    )
    _forget_loaded_row(review.therapist_id)


def _forget_loaded_row(therapist_id: int) -> None:
    """A TherapistRating already in the session is stale after a core UPDATE."""
    loaded = db.session.identity_map.get(db.session.identity_key(TherapistRating, therapist_id))
    if loaded is not None:
        db.session.expire(loaded)


def record_published(review: Review) -> None:
    """Add a review that just became `published` to its therapist's totals.

    Runs in the caller's transaction (never commits); safe under concurrent publishes.
    The caller guarantees the review was not counted before (see moderation.services).
    """
    _add(review, +1)


def record_unpublished(review: Review) -> None:
    """Take a review that just left `published` out of its therapist's totals.

    Call with the rating values that were counted (before any edit is applied).
    """
    _add(review, -1)


def recompute(therapist_id: int) -> TherapistRating:
    """Rebuild one therapist's totals from their published reviews, from scratch.

    The repair path (and the property tests' oracle): idempotent, in the caller's
    transaction.
    """
    published = sa.and_(Review.therapist_id == therapist_id, Review.state == ReviewState.PUBLISHED)
    columns = [
        sa.func.count(Review.id).label("review_count"),
        sa.func.coalesce(sa.func.sum(Review.rating), 0).label("rating_sum"),
        *(sa.func.count(sa.case((Review.rating == n, 1))).label(f"count_{n}") for n in range(1, 6)),
    ]
    for aspect in ASPECTS:
        column = getattr(Review, f"rating_{aspect}")
        columns.append(sa.func.coalesce(sa.func.sum(column), 0).label(f"{aspect}_sum"))
        columns.append(sa.func.count(column).label(f"{aspect}_count"))
    totals = db.session.execute(sa.select(*columns).where(published)).one()._asdict()
    clinic_id = db.session.scalar(
        sa.select(Therapist.clinic_id).where(Therapist.id == therapist_id)
    )
    _ensure_row(therapist_id, clinic_id)
    table = TherapistRating.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.therapist_id == therapist_id)
        .values({**totals, "updated_at": utcnow()})
    )
    _forget_loaded_row(therapist_id)
    return db.session.get(TherapistRating, therapist_id)


# Below this many reviews pages say how little a rating from few reviews means.
FEW_REVIEWS = 5


@dataclass(frozen=True)
class RatingBar:
    stars: int
    count: int
    share: float  # 0..1 of all reviews


@dataclass(frozen=True)
class RatingOverview:
    """What a page shows of a rating: plain mean, count, distribution, aspect means, score."""

    count: int
    mean: float | None
    bars: list[RatingBar]
    aspects: dict[str, float]  # aspect -> mean, only aspects someone rated
    score: float

    @property
    def few(self) -> bool:
        return 0 < self.count < FEW_REVIEWS


def overview(totals: TherapistRating | None) -> RatingOverview:
    """The overview of a totals row (None: no published reviews yet)."""
    count = totals.review_count if totals else 0
    total = totals.rating_sum if totals else 0
    bars = [
        RatingBar(
            stars=stars,
            count=getattr(totals, f"count_{stars}") if totals else 0,
            share=(getattr(totals, f"count_{stars}") / count) if count else 0.0,
        )
        for stars in range(5, 0, -1)
    ]
    aspects = {
        aspect: getattr(totals, f"{aspect}_sum") / getattr(totals, f"{aspect}_count")
        for aspect in ASPECTS
        if totals and getattr(totals, f"{aspect}_count")
    }
    mean = total / count if count else None
    return RatingOverview(count, mean, bars, aspects, bayesian_score(total, count, platform_mean()))


TOTAL_COLUMNS = (
    "review_count",
    "rating_sum",
    *(f"count_{stars}" for stars in range(1, 6)),
    *(f"{aspect}_{part}" for aspect in ASPECTS for part in ("sum", "count")),
)


def clinic_totals(clinic_id: int) -> TherapistRating:
    """The sums of the clinic's listed therapists' totals, as an unsaved totals row."""
    sums = db.session.execute(
        sa.select(
            *(sa.func.coalesce(sa.func.sum(getattr(TherapistRating, c)), 0) for c in TOTAL_COLUMNS)
        )
        .join(Therapist, Therapist.id == TherapistRating.therapist_id)
        .where(
            TherapistRating.clinic_id == clinic_id,
            listed(),
        )
    ).one()
    return TherapistRating(clinic_id=clinic_id, **dict(zip(TOTAL_COLUMNS, sums, strict=True)))
