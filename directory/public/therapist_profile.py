"""What a therapist's public profile shows (the view count is public.view_counts).

Reads run in the public scope: on PostgreSQL the database shows only published reviews,
published replies and verified (or expired) accreditations of listed therapists, and
these queries ask for exactly that, so SQLite shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.accounts.models import User
from directory.core.pagination import Page
from directory.extensions import db
from directory.reviews.models import (
    ClinicReply,
    ReplyState,
    Review,
    ReviewState,
    TherapistRating,
)
from directory.reviews.ratings import RatingOverview, overview
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
)

REVIEWS_PER_PAGE = 10
SORTS = {
    "newest": (Review.published_at.desc(), Review.id.desc()),
    "helpful": (Review.helpful_count.desc(), Review.published_at.desc(), Review.id.desc()),
}


@dataclass(frozen=True)
class PublicAccreditation:
    accreditation: Accreditation
    checked_by: str | None


def rating_overview(therapist: Therapist) -> RatingOverview:
    """The therapist's rating as pages show it (no totals row: no reviews yet)."""
    return overview(db.session.get(TherapistRating, therapist.id))


def published_reviews(
    therapist: Therapist, *, sort: str, number: int, per_page: int = REVIEWS_PER_PAGE
) -> Page[tuple[Review, ClinicReply | None]]:
    """One page of published reviews, each with its clinic's published reply, in one query
    (plus one to count)."""
    published = sa.and_(
        Review.therapist_id == therapist.id,
        Review.clinic_id == therapist.clinic_id,
        Review.state == ReviewState.PUBLISHED,
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Review).where(published))
    rows = db.session.execute(
        sa.select(Review, ClinicReply)
        .outerjoin(
            ClinicReply,
            sa.and_(
                ClinicReply.review_id == Review.id,
                ClinicReply.clinic_id == Review.clinic_id,
                ClinicReply.state == ReplyState.PUBLISHED,
            ),
        )
        .where(published)
        .order_by(*SORTS[sort])
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(
        items=[tuple(row) for row in rows],
        number=number,
        per_page=per_page,
        total=total or 0,
    )


def public_accreditations(therapist: Therapist) -> list[PublicAccreditation]:
    """Credentials a moderator checked (verified, or verified once and since expired), with
    the name of who checked them."""
    rows = db.session.execute(
        sa.select(Accreditation, User.display_name)
        .outerjoin(User, User.id == Accreditation.verified_by_id)
        .where(
            Accreditation.therapist_id == therapist.id,
            Accreditation.clinic_id == therapist.clinic_id,
            Accreditation.state.in_([AccreditationState.VERIFIED, AccreditationState.EXPIRED]),
        )
        .order_by(Accreditation.state.desc(), Accreditation.issued_on.desc())
    ).all()
    return [PublicAccreditation(accreditation, name) for accreditation, name in rows]
