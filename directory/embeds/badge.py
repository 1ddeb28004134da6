"""The SVG badge's geometry: five stars, filled as far as the mean reaches."""

from __future__ import annotations

from dataclasses import dataclass

from directory.reviews.ratings import RatingOverview

STAR_SIZE = 18
STAR_GAP = 2
STARS = 5
STARS_WIDTH = STARS * STAR_SIZE + (STARS - 1) * STAR_GAP
WIDTH = 176
HEIGHT = 64


@dataclass(frozen=True)
class BadgeStars:
    lefts: list[int]  # the x of each star
    filled_width: float  # how much of the row is gold, from the left
    width: int = STARS_WIDTH
    height: int = STAR_SIZE


def stars_for(rating: RatingOverview) -> BadgeStars:
    """Where the stars go and how far the gold reaches (a 4.5 fills four and a half)."""
    lefts = [n * (STAR_SIZE + STAR_GAP) for n in range(STARS)]
    mean = rating.mean or 0.0
    whole = int(mean)
    part = mean - whole
    filled = whole * (STAR_SIZE + STAR_GAP) + part * STAR_SIZE if whole < STARS else STARS_WIDTH
    return BadgeStars(lefts, round(filled, 1))
