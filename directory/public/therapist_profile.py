"""What a therapist's public profile shows, and the one write it makes (the view count).

Reads run in the public scope: on PostgreSQL the database shows only published reviews,
published replies and verified (or expired) accreditations of listed therapists, and
these queries ask for exactly that, so SQLite shows the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from directory.accounts.models import User
from directory.core.pagination import Page
from directory.core.tenancy import current_scope, enter_clinic, restore_scope
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
    TherapistDailyViews,
)

log = logging.getLogger(__name__)

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


def count_profile_view(therapist: Therapist, today: date | None = None) -> bool:
    """Add one to today's views of the therapist, and commit that alone.

    Best effort by design: a failure is logged and rolled back and never reaches the
    page (returns False).  The write enters the therapist's clinic (row-level security
    refuses it otherwise) and puts the caller's scope back afterwards.  Call it after
    everything the page needs is loaded.
    """
    saved = current_scope()
    try:
        enter_clinic(therapist.clinic_id)
        dialect = db.session.get_bind().dialect.name
        if dialect == "postgresql":
            # A view count may lose its last few increments in a crash; the page must not
            # wait for a disk flush on every visit.
            db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
        statement = insert(TherapistDailyViews).values(
            therapist_id=therapist.id,
            clinic_id=therapist.clinic_id,
            day=today or date.today(),
            views=1,
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["therapist_id", "day"],
                set_={"views": TherapistDailyViews.views + 1},
            )
        )
        db.session.commit()
        return True
    except SQLAlchemyError:
        log.warning("could not count a view of therapist %s", therapist.id, exc_info=True)
        db.session.rollback()
        return False
    finally:
        restore_scope(saved)
