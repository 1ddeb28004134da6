"""PostgreSQL row-level security on photos: what the public and each clinic may read."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from directory.core.tenancy import PUBLIC_SCOPE, enter_clinic, restore_scope
from directory.extensions import db
from directory.photos.models import Photo, PhotoKind, PhotoReport
from tests.factories import create_clinic, create_therapist

pytestmark = pytest.mark.postgres


def photo_row(clinic_id: int, therapist_id: int | None, tag: str) -> Photo:
    return Photo(
        clinic_id=clinic_id,
        therapist_id=therapist_id,
        kind=PhotoKind.HEADSHOT if therapist_id else PhotoKind.CLINIC,
        alt_text=tag,
        large_name=f"{tag}-large",
        large_width=800,
        large_height=800,
        small_name=f"{tag}-small",
        small_width=240,
        small_height=240,
    )


@pytest.fixture
def photos(app) -> dict:
    a, b = create_clinic("Clinic A"), create_clinic("Clinic B")
    listed = create_therapist(a, name="Listed")
    draft = create_therapist(a, name="Draft", is_published=False)
    rows = [
        photo_row(a.id, listed.id, "listed"),
        photo_row(a.id, draft.id, "draft"),
        photo_row(a.id, None, "room-a"),
        photo_row(b.id, None, "room-b"),
    ]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add(PhotoReport(clinic_id=a.id, photo_id=rows[0].id, reason_code="not_them"))
    db.session.commit()
    restore_scope(PUBLIC_SCOPE)
    return {"a": a.id, "b": b.id, "room_b": rows[3].id}


def alt_texts() -> list[str]:
    return sorted(db.session.scalars(sa.text("SELECT alt_text FROM photos")))


def test_the_public_reads_clinic_photos_and_listed_headshots_only(photos):
    assert alt_texts() == ["listed", "room-a", "room-b"]
    assert list(db.session.scalars(sa.text("SELECT id FROM photo_reports"))) == []


def test_a_clinic_reads_its_own_drafts_photos_and_reports(photos):
    enter_clinic(photos["a"])
    assert "draft" in alt_texts()
    assert len(list(db.session.scalars(sa.text("SELECT id FROM photo_reports")))) == 1


def test_a_clinic_cannot_delete_another_clinics_photo(photos):
    enter_clinic(photos["a"])
    deleted = db.session.execute(
        sa.text("DELETE FROM photos WHERE id = :id"), {"id": photos["room_b"]}
    )
    assert deleted.rowcount == 0
    db.session.rollback()


def test_a_clinic_cannot_write_a_photo_into_another_clinic(photos):
    enter_clinic(photos["a"])
    db.session.add(photo_row(photos["b"], None, "sneaked"))
    with pytest.raises(DBAPIError):
        db.session.flush()
    db.session.rollback()
