"""Read-only queries the API needs beyond what the public pages already have."""

from __future__ import annotations

import sqlalchemy as sa

from directory.extensions import db
from directory.reviews.models import TherapistRating
from directory.therapists.models import Therapist


def rating_totals(therapists: list[Therapist]) -> dict[int, TherapistRating]:
    """The rating totals of these therapists by id, in one query (absent: no reviews yet)."""
    if not therapists:
        return {}
    rows = db.session.scalars(
        sa.select(TherapistRating).where(
            TherapistRating.therapist_id.in_([therapist.id for therapist in therapists])
        )
    )
    return {row.therapist_id: row for row in rows}
