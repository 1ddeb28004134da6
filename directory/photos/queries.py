"""Reading photos for public pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.extensions import db
from directory.photos.models import Photo, PhotoKind, PhotoReport, PhotoReportState
from directory.therapists.models import Therapist
from directory.therapists.queries import listed


def headshots_by_slug(slugs: list[str]) -> dict[str, Photo]:
    """The headshots of these listed therapists, by slug, in one query (a search page's)."""
    if not slugs:
        return {}
    rows = db.session.execute(
        sa.select(Therapist.slug, Photo)
        .join(
            Photo,
            sa.and_(Photo.therapist_id == Therapist.id, Photo.clinic_id == Therapist.clinic_id),
        )
        .where(Therapist.slug.in_(slugs), listed())
    )
    return {slug: photo for slug, photo in rows}


def public_photo(photo_id: int) -> Photo | None:
    """A photo anyone may see: a clinic's, or the headshot of a listed therapist."""
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        return None
    if photo.kind == PhotoKind.HEADSHOT:
        owner = db.session.scalar(
            sa.select(Therapist).where(
                Therapist.id == photo.therapist_id,
                Therapist.clinic_id == photo.clinic_id,
                listed(),
            )
        )
        return photo if owner is not None else None
    clinic = db.session.get(Clinic, photo.clinic_id)
    return photo if clinic is not None and clinic.is_active else None


@dataclass(frozen=True)
class ReportedPhoto:
    """A photo with open reports, as the moderators' page lists it."""

    photo: Photo
    clinic: Clinic
    therapist_name: str | None
    reports: list[PhotoReport]


def reported_photos(offset: int, limit: int) -> tuple[list[ReportedPhoto], int]:
    """Photos with open reports, the longest-waiting first (platform scope)."""
    first_report = sa.func.min(PhotoReport.created_at)
    waiting = (
        sa.select(PhotoReport.photo_id, first_report.label("since"))
        .where(PhotoReport.state == PhotoReportState.OPEN)
        .group_by(PhotoReport.photo_id)
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery()))
    page = db.session.execute(
        waiting.order_by(first_report, PhotoReport.photo_id).offset(offset).limit(limit)
    ).all()
    photo_ids = [row.photo_id for row in page]
    photos = {p.id: p for p in db.session.scalars(sa.select(Photo).where(Photo.id.in_(photo_ids)))}
    reports: dict[int, list[PhotoReport]] = {}
    for report in db.session.scalars(
        sa.select(PhotoReport)
        .where(PhotoReport.photo_id.in_(photo_ids), PhotoReport.state == PhotoReportState.OPEN)
        .order_by(PhotoReport.created_at, PhotoReport.id)
    ):
        reports.setdefault(report.photo_id, []).append(report)
    items = []
    for photo_id in photo_ids:
        photo = photos[photo_id]
        therapist = db.session.get(Therapist, photo.therapist_id) if photo.therapist_id else None
        items.append(
            ReportedPhoto(
                photo=photo,
                clinic=db.session.get(Clinic, photo.clinic_id),
                therapist_name=therapist.name if therapist else None,
                reports=reports.get(photo_id, []),
            )
        )
    return items, total or 0
