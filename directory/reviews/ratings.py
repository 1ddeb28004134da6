"""The ranking formula, in one place.

A therapist's ranking score is a Bayesian average: their published ratings plus
PRIOR_WEIGHT imaginary reviews at the platform's mean rating.  A therapist with two
five-star reviews does not outrank one with two hundred reviews averaging 4.8; as reviews
accumulate the score converges to the plain mean.  Pages show the plain mean and the
count; the score only orders results.

    score = (PRIOR_WEIGHT * platform_mean + sum_of_ratings) / (PRIOR_WEIGHT + count)
"""

from __future__ import annotations

import sqlalchemy as sa

from directory.extensions import db
from directory.reviews.models import TherapistRating

PRIOR_WEIGHT = 5
# Used until the platform has published reviews of its own.
DEFAULT_PLATFORM_MEAN = 4.0


def bayesian_score(rating_sum: int, count: int, platform_mean: float) -> float:
    return (PRIOR_WEIGHT * platform_mean + rating_sum) / (PRIOR_WEIGHT + count)


def platform_mean() -> float:
    """The mean of every published rating on the platform."""
    total, count = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(TherapistRating.rating_sum), 0),
            sa.func.coalesce(sa.func.sum(TherapistRating.review_count), 0),
        ).execution_options(all_clinics=True)
    ).one()
    return total / count if count else DEFAULT_PLATFORM_MEAN
