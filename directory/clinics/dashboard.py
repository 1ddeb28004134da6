"""The numbers on a clinic's console home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.reviews.models import Review, ReviewInvitation, ReviewState, TherapistRating
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    ContactKind,
    Therapist,
    TherapistDailyContacts,
    TherapistDailyViews,
)

EXPIRY_WARNING = timedelta(days=30)
RECENT = timedelta(days=30)  # the window of the view and click counts


@dataclass(frozen=True)
class TherapistLine:
    id: int
    name: str
    slug: str
    is_published: bool
    review_count: int
    rating_mean: float | None
    views: int = 0  # profile views in the last 30 days
    contacts: dict[str, int] = field(default_factory=dict)  # clicks by kind, 30 days

    def clicks(self, kind: str) -> int:
        return self.contacts.get(kind, 0)


@dataclass(frozen=True)
class ClinicNumbers:
    published: int
    drafts: int
    accreditations_by_state: dict[str, int]
    expiring_soon: list[Accreditation]
    reviews_waiting: int
    invitations_sent: int
    invitations_used: int
    views_last_30_days: int
    therapists: list[TherapistLine]
    contacts_last_30_days: dict[str, int] = field(default_factory=dict)  # by kind


def numbers_for(clinic: Clinic, today: date | None = None) -> ClinicNumbers:
    """Everything the dashboard shows, in a handful of grouped queries."""
    today = today or date.today()
    live = sa.and_(Therapist.clinic_id == clinic.id, Therapist.deleted_at.is_(None))
    by_published = dict(
        db.session.execute(
            sa.select(Therapist.is_published, sa.func.count())
            .where(live)
            .group_by(Therapist.is_published)
        ).all()
    )
    by_state = dict(
        db.session.execute(
            sa.select(Accreditation.state, sa.func.count())
            .where(Accreditation.clinic_id == clinic.id)
            .group_by(Accreditation.state)
        ).all()
    )
    expiring = list(
        db.session.scalars(
            sa.select(Accreditation)
            .where(
                Accreditation.clinic_id == clinic.id,
                Accreditation.state == AccreditationState.VERIFIED,
                Accreditation.expires_on.between(today, today + EXPIRY_WARNING),
            )
            .order_by(Accreditation.expires_on)
        )
    )
    waiting = db.session.scalar(
        sa.select(sa.func.count()).where(
            Review.clinic_id == clinic.id,
            Review.state.in_([ReviewState.AWAITING_EMAIL, ReviewState.PENDING]),
        )
    )
    sent, used = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(ReviewInvitation.used_at)).where(
            ReviewInvitation.clinic_id == clinic.id
        )
    ).one()
    views = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(TherapistDailyViews.views), 0)).where(
            TherapistDailyViews.clinic_id == clinic.id,
            TherapistDailyViews.day > today - RECENT,
        )
    )
    views_by_therapist = dict(
        db.session.execute(
            sa.select(TherapistDailyViews.therapist_id, sa.func.sum(TherapistDailyViews.views))
            .where(
                TherapistDailyViews.clinic_id == clinic.id,
                TherapistDailyViews.day > today - RECENT,
            )
            .group_by(TherapistDailyViews.therapist_id)
        ).all()
    )
    contacts: dict[int, dict[str, int]] = {}
    for therapist_id, kind, clicks in db.session.execute(
        sa.select(
            TherapistDailyContacts.therapist_id,
            TherapistDailyContacts.kind,
            sa.func.sum(TherapistDailyContacts.clicks),
        )
        .where(
            TherapistDailyContacts.clinic_id == clinic.id,
            TherapistDailyContacts.day > today - RECENT,
        )
        .group_by(TherapistDailyContacts.therapist_id, TherapistDailyContacts.kind)
    ):
        contacts.setdefault(therapist_id, {})[kind] = int(clicks)
    rows = db.session.execute(
        sa.select(
            Therapist.id,
            Therapist.name,
            Therapist.slug,
            Therapist.is_published,
            sa.func.coalesce(TherapistRating.review_count, 0),
            TherapistRating.rating_sum,
        )
        .outerjoin(TherapistRating, TherapistRating.therapist_id == Therapist.id)
        .where(live)
        .order_by(Therapist.name)
    ).all()
    lines = [
        TherapistLine(
            id,
            name,
            slug,
            published,
            count,
            (total / count) if count else None,
            views=int(views_by_therapist.get(id) or 0),
            contacts=contacts.get(id, {}),
        )
        for id, name, slug, published, count, total in rows
    ]
    totals = {kind.value: sum(line.clicks(kind.value) for line in lines) for kind in ContactKind}
    return ClinicNumbers(
        published=by_published.get(True, 0),
        drafts=by_published.get(False, 0),
        accreditations_by_state=by_state,
        expiring_soon=expiring,
        reviews_waiting=waiting or 0,
        invitations_sent=sent,
        invitations_used=used,
        views_last_30_days=views or 0,
        therapists=lines,
        contacts_last_30_days=totals,
    )
