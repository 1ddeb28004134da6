"""Photos: set a therapist's headshot, add to a clinic's gallery, remove, report, take down.

Services flush and never commit.  Files are written before the rows that name them, and
`media_storage.save` removes them again if the transaction does not commit; files a
removed row named are deleted only after the commit (after_commit kind MEDIA_UNUSED), and
only when no other row, in any clinic, names the same content.
"""

from __future__ import annotations

import sqlalchemy as sa

from directory.accounts.models import User
from directory.clinics.models import Clinic
from directory.core import after_commit, media_storage
from directory.core.models import utcnow
from directory.core.tenancy import for_all_clinics
from directory.extensions import db
from directory.moderation.reasons import PhotoReason
from directory.moderation.services import record
from directory.photos.images import PreparedImage, prepare_upload
from directory.photos.models import (
    MAX_CLINIC_PHOTOS,
    Photo,
    PhotoKind,
    PhotoReport,
    PhotoReportState,
)
from directory.therapists.models import Therapist

SUFFIX = "webp"


class PhotoRefused(Exception):
    """The photo cannot be added; the message is for people."""


def set_headshot(
    therapist: Therapist, data: bytes, alt_text: str = "", uploaded_by: User | None = None
) -> Photo:
    """Check and re-encode `data`, then make it the therapist's headshot (replacing any).

    Raises images.ImageRefused for a file that is not an acceptable image; nothing is
    stored then.
    """
    prepared = prepare_upload(data)
    photo = headshot_of(therapist)
    replaced: tuple[str, ...] = ()
    if photo is None:
        photo = Photo(clinic_id=therapist.clinic_id, therapist_id=therapist.id, position=0)
        photo.kind = PhotoKind.HEADSHOT
        db.session.add(photo)
    else:
        replaced = photo.file_names
    _store(photo, prepared)
    photo.alt_text = alt_text
    photo.uploaded_by_id = uploaded_by.id if uploaded_by else None
    photo.created_at = utcnow()
    db.session.flush()
    _forget_unused(replaced)
    return photo


def add_clinic_photo(
    clinic: Clinic, data: bytes, alt_text: str = "", uploaded_by: User | None = None
) -> Photo:
    """Check and re-encode `data` and add it at the end of the clinic's gallery.

    Raises PhotoRefused when the gallery is full, images.ImageRefused for a file that is
    not an acceptable image; nothing is stored then.
    """
    photos = clinic_photos(clinic.id)
    if len(photos) >= MAX_CLINIC_PHOTOS:
        raise PhotoRefused(
            f"The gallery holds {MAX_CLINIC_PHOTOS} photos. Remove one before adding another."
        )
    prepared = prepare_upload(data)
    photo = Photo(
        clinic_id=clinic.id,
        kind=PhotoKind.CLINIC,
        position=(photos[-1].position + 1) if photos else 0,
        alt_text=alt_text,
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
    )
    _store(photo, prepared)
    db.session.add(photo)
    db.session.flush()
    return photo


def remove_photo(photo: Photo) -> None:
    """Delete the photo and its reports; its files go after the commit, if unused."""
    names = photo.file_names
    db.session.delete(photo)
    db.session.flush()
    _forget_unused(names)


def report_photo(photo: Photo, reason: PhotoReason, note: str = "") -> PhotoReport:
    """A visitor's report, open for the moderators (a row of the photo's clinic)."""
    report = PhotoReport(
        clinic_id=photo.clinic_id, photo_id=photo.id, reason_code=reason, note=note
    )
    db.session.add(report)
    db.session.flush()
    return report


def take_down(photo: Photo, moderator: User, reason: PhotoReason, note: str = "") -> None:
    """A moderator removes a reported photo: audit row, then the photo and its reports."""
    record(
        moderator,
        "take_down_photo",
        "photo",
        photo.id,
        clinic_id=photo.clinic_id,
        before="live",
        after="taken_down",
        reason=reason,
        note=note,
    )
    remove_photo(photo)


def dismiss_reports(photo: Photo, moderator: User, note: str = "") -> int:
    """A moderator keeps the photo: its open reports are closed, with an audit row.
    Returns how many were open."""
    reports = open_reports_of(photo)
    now = utcnow()
    for report in reports:
        report.state = PhotoReportState.DISMISSED
        report.resolved_by_id = moderator.id
        report.resolved_at = now
    record(
        moderator,
        "dismiss_photo_reports",
        "photo",
        photo.id,
        clinic_id=photo.clinic_id,
        before="reported",
        after="live",
        note=note,
    )
    db.session.flush()
    return len(reports)


def headshot_of(therapist: Therapist) -> Photo | None:
    return db.session.scalar(
        sa.select(Photo).where(
            Photo.therapist_id == therapist.id, Photo.clinic_id == therapist.clinic_id
        )
    )


def clinic_photos(clinic_id: int) -> list[Photo]:
    """The clinic's gallery in its order."""
    return list(
        db.session.scalars(
            sa.select(Photo)
            .where(Photo.clinic_id == clinic_id, Photo.kind == PhotoKind.CLINIC)
            .order_by(Photo.position, Photo.id)
        )
    )


def open_reports_of(photo: Photo) -> list[PhotoReport]:
    return list(
        db.session.scalars(
            sa.select(PhotoReport).where(
                PhotoReport.photo_id == photo.id,
                PhotoReport.clinic_id == photo.clinic_id,
                PhotoReport.state == PhotoReportState.OPEN,
            )
        )
    )


def _store(photo: Photo, prepared: PreparedImage) -> None:
    photo.large_name = media_storage.save(db.session(), prepared.large.data, SUFFIX)
    photo.large_width, photo.large_height = prepared.large.width, prepared.large.height
    photo.small_name = media_storage.save(db.session(), prepared.small.data, SUFFIX)
    photo.small_width, photo.small_height = prepared.small.width, prepared.small.height


def _forget_unused(names: tuple[str, ...]) -> None:
    """Have the files among `names` that no photo names any more deleted after commit.

    Every clinic's rows are counted: the same bytes uploaded by two clinics are one file.
    """
    if not names:
        return
    with for_all_clinics():
        used = set(
            db.session.scalars(sa.select(Photo.large_name).where(Photo.large_name.in_(names)))
        ) | set(db.session.scalars(sa.select(Photo.small_name).where(Photo.small_name.in_(names))))
    for name in set(names) - used:
        after_commit.defer(db.session(), media_storage.MEDIA_UNUSED, name)
