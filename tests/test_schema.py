"""Rules the database itself enforces, whatever the application does."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from directory.core.models import TenantMixin
from directory.core.tenancy import ALL_CLINICS, act_for_all_clinics, enter_clinic
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.reviews.models import Provenance, Review, ReviewState
from directory.therapists.models import Accreditation, Therapist
from tests.factories import create_clinic, create_therapist


@pytest.fixture(autouse=True)
def on_the_privileged_path(app):
    """These tests are about the database's own constraints: act for all clinics, so that
    what refuses a row is the constraint under test, never row-level security."""
    act_for_all_clinics()


def review(therapist: Therapist, **fields) -> Review:
    values = {
        "clinic_id": therapist.clinic_id,
        "therapist_id": therapist.id,
        "reviewer_email": "rev@example.com",
        "reviewer_name": "Rev",
        "rating": 5,
        "title": "Good",
        "body": "x" * 50,
        "visit_month": date(2026, 1, 1),
        "provenance": Provenance.EMAIL_CONFIRMED,
        "state": ReviewState.PENDING,
        **fields,
    }
    return Review(**values)


def fails_to_save(row) -> bool:
    db.session.add(row)
    try:
        db.session.flush()
    except (IntegrityError, DBAPIError):
        db.session.rollback()
        return True
    return False


@pytest.mark.parametrize("rating", [0, 6])
def test_ratings_outside_one_to_five_are_refused(app, rating):
    therapist = create_therapist(create_clinic())
    assert fails_to_save(review(therapist, rating=rating))


def test_aspect_ratings_are_optional_but_bounded(app):
    therapist = create_therapist(create_clinic())
    assert not fails_to_save(review(therapist, rating_value=None, rating_technique=4))
    therapist = create_therapist(create_clinic())
    assert fails_to_save(review(therapist, rating_value=9))


def test_one_live_review_per_reviewer_per_therapist(app):
    therapist = create_therapist(create_clinic())
    db.session.add(review(therapist, state=ReviewState.PUBLISHED))
    db.session.flush()
    therapist_id = therapist.id
    rejected = review(therapist, state=ReviewState.REJECTED)
    assert not fails_to_save(rejected)  # a rejected one does not count
    therapist = db.session.get(Therapist, therapist_id)
    assert fails_to_save(review(therapist, state=ReviewState.PENDING))


def test_a_child_row_cannot_point_into_another_clinic(app):
    clinic_a, clinic_b = create_clinic(), create_clinic()
    therapist_of_a = create_therapist(clinic_a)
    smuggled = review(therapist_of_a, clinic_id=clinic_b.id)
    assert fails_to_save(smuggled)


def test_expiry_must_follow_issue(app):
    therapist = create_therapist(create_clinic())
    accreditation = Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        credential_type_id=1,
        issuing_body="CMTO",
        number="A1",
        issued_on=date(2025, 1, 1),
        expires_on=date(2024, 1, 1),
    )
    assert fails_to_save(accreditation)


def test_slugs_are_unique(app):
    clinic = create_clinic()
    create_therapist(clinic, slug="same")
    assert fails_to_save(Therapist(clinic_id=clinic.id, name="Other", slug="same"))


def test_the_audit_log_is_append_only(app):
    entry = AuditEntry(
        action="approve", subject_type="review", subject_id=1, after_state="published"
    )
    db.session.add(entry)
    db.session.commit()
    # SQLite's triggers refuse; on PostgreSQL the app role lacks the privilege to begin with.
    refused = "append-only|permission denied for table moderation_audit"
    with pytest.raises(DBAPIError, match=refused):
        db.session.execute(sa.update(AuditEntry).values(note="rewritten"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match=refused):
        db.session.execute(sa.delete(AuditEntry))
    db.session.rollback()
    assert db.session.scalar(sa.select(AuditEntry.note)) == ""


def test_every_tenant_owned_table_has_clinic_id(app):
    for table in db.metadata.sorted_tables:
        mapped = [m.class_ for m in db.Model.registry.mappers if m.local_table is table]
        if mapped and issubclass(mapped[0], TenantMixin):
            assert "clinic_id" in table.c
            assert not table.c.clinic_id.nullable


def test_inside_a_clinic_queries_see_only_that_clinic(app):
    clinic_a, clinic_b = create_clinic(), create_clinic()
    create_therapist(clinic_a, name="Of A")
    create_therapist(clinic_b, name="Of B")
    db.session.commit()
    enter_clinic(clinic_a.id)
    assert [t.name for t in db.session.scalars(sa.select(Therapist))] == ["Of A"]
    everyone = db.session.scalars(sa.select(Therapist).execution_options(**ALL_CLINICS))
    assert sorted(t.name for t in everyone) == ["Of A", "Of B"]
