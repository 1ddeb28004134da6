"""What a therapist's public profile shows (the view count is public.view_counts).

Reads run in the public scope: on PostgreSQL the database shows only published reviews,
published replies and verified (or expired) accreditations of listed therapists, and
these queries ask for exactly that, so SQLite shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

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
from directory.taxonomy.models import Condition, Language, Modality
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
    TherapistCondition,
    TherapistLanguage,
    TherapistModality,
)
from directory.therapists.queries import listed

REVIEWS_PER_PAGE = 10
SORTS = {
    "newest": (Review.published_at.desc(), Review.id.desc()),
    "helpful": (Review.helpful_count.desc(), Review.published_at.desc(), Review.id.desc()),
}


@dataclass(frozen=True)
class PublicAccreditation:
    accreditation: Accreditation
    checked_by: str | None


def listed_with_rating(slug: str) -> tuple[Therapist, RatingOverview] | None:
    """The listed therapist with this slug, its clinic, headshot and rating, in one query."""
    row = db.session.execute(
        sa.select(Therapist, TherapistRating)
        .outerjoin(
            TherapistRating,
            sa.and_(
                TherapistRating.therapist_id == Therapist.id,
                TherapistRating.clinic_id == Therapist.clinic_id,
            ),
        )
        .where(Therapist.slug == slug, listed())
        .options(joinedload(Therapist.clinic), joinedload(Therapist.headshot))
    ).first()
    return None if row is None else (row[0], overview(row[1]))


@dataclass(frozen=True)
class Terms:
    """The names of what a therapist practises, treats and speaks, each list by name."""

    modalities: list[str]
    conditions: list[str]
    languages: list[str]


def terms_of(therapist: Therapist) -> Terms:
    """The therapist's modality, condition and language names, in one query (not three
    loads of the relationships)."""
    links = [
        (Modality, TherapistModality, TherapistModality.modality_id == Modality.id),
        (Condition, TherapistCondition, TherapistCondition.condition_id == Condition.id),
        (Language, TherapistLanguage, TherapistLanguage.language_code == Language.code),
    ]
    rows = db.session.execute(
        sa.union_all(
            *(
                sa.select(sa.literal(kind).label("kind"), term.name.label("name"))
                .join(link, joined)
                .where(link.therapist_id == therapist.id, link.clinic_id == therapist.clinic_id)
                for kind, (term, link, joined) in enumerate(links)
            )
        ).order_by("kind", "name")
    )
    names: list[list[str]] = [[], [], []]
    for kind, name in rows:
        names[kind].append(name)
    return Terms(*names)


def rating_overview(therapist: Therapist) -> RatingOverview:
    """The therapist's rating as pages show it (no totals row: no reviews yet)."""
    return overview(db.session.get(TherapistRating, therapist.id))


def published_reviews(
    therapist: Therapist, *, sort: str, number: int, per_page: int = REVIEWS_PER_PAGE
) -> Page[tuple[Review, ClinicReply | None]]:
    """One page of published reviews, each with its clinic's published reply, and their
    total, in one query (a second counts them only for a page past the last)."""
    published = sa.and_(
        Review.therapist_id == therapist.id,
        Review.clinic_id == therapist.clinic_id,
        Review.state == ReviewState.PUBLISHED,
    )
    rows = db.session.execute(
        sa.select(Review, ClinicReply, sa.func.count().over().label("total"))
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
    if rows:
        total = rows[0].total
    elif number > 1:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Review).where(published))
    else:
        total = 0
    return Page(
        items=[(review, reply) for review, reply, _ in rows],
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
