"""Rating totals, summed in Python while reviews are generated.

`therapist_ratings` holds running totals over each therapist's published reviews; the
seed adds every published review here as it makes it, so the stored row equals what a
recomputation from the reviews table gives, without a second pass over a million rows.
"""

from __future__ import annotations

from datetime import datetime

RATING_COLUMNS = (
    "therapist_id",
    "clinic_id",
    "review_count",
    "rating_sum",
    "count_1",
    "count_2",
    "count_3",
    "count_4",
    "count_5",
    "technique_sum",
    "technique_count",
    "communication_sum",
    "communication_count",
    "environment_sum",
    "environment_count",
    "value_sum",
    "value_count",
    "updated_at",
)


class RatingTotals:
    """Running totals over published reviews, in therapist_ratings' column order."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        # review_count, rating_sum, count_1..count_5, then (sum, count) per aspect.
        self.values = [0] * 15

    def add(self, rating: int, aspects: tuple[int | None, ...]) -> None:
        values = self.values
        values[0] += 1
        values[1] += rating
        values[1 + rating] += 1
        for index, score in enumerate(aspects):
            if score is not None:
                values[7 + 2 * index] += score
                values[8 + 2 * index] += 1

    @property
    def count(self) -> int:
        return self.values[0]

    def row(self, therapist_id: int, clinic_id: int, updated_at: datetime) -> tuple:
        return (therapist_id, clinic_id, *self.values, updated_at)
