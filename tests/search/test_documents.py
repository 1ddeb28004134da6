"""A therapist's search document follows every change a searcher could see, and only
ever moves forward (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from directory.clinics.services import ClinicDetails, update_clinic
from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation import services as moderation
from directory.moderation.reasons import Reason
from directory.reviews.ratings import bayesian_score, platform_mean
from directory.search import documents
from directory.search.documents import REVIEW_SAMPLE_SIZE, REVIEW_TEXT_CAP, rebuild_document
from directory.search.models import SearchDocument
from directory.taxonomy.models import Condition, Modality
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.factories import city, create_clinic, create_user
from tests.search.conftest import run, slugs
from tests.search.fixtures import publish_review, verified_credential


def document(therapist_id: int) -> SearchDocument | None:
    db.session.expire_all()
    return db.session.get(SearchDocument, therapist_id)


def term_id(model, slug: str) -> int:
    return db.session.scalar(sa.select(model.id).where(model.slug == slug))


def profile(name: str = "Ana Reyes", **fields) -> therapists.TherapistProfile:
    fields.setdefault("modality_ids", [term_id(Modality, "swedish")])
    fields.setdefault("condition_ids", [term_id(Condition, "stress")])
    fields.setdefault("language_codes", ["en"])
    return therapists.TherapistProfile(name=name, **fields)


def listed(clinic=None, name: str = "Ana Reyes", **fields) -> Therapist:
    """A published therapist, committed, so the worker has built its document."""
    therapist = therapists.create_therapist(clinic or create_clinic(), profile(name, **fields))
    therapists.publish(therapist)
    db.session.commit()
    return therapist


def test_publishing_builds_the_document_from_the_therapists_rows(app):
    clinic = create_clinic("Lakeside Massage", city_slug="vancouver")
    therapist = therapists.create_therapist(
        clinic,
        profile(
            headline="Calm, careful work",
            modality_ids=[term_id(Modality, "thai"), term_id(Modality, "shiatsu")],
            language_codes=["en", "ja"],
            accepting_new_clients=False,
        ),
    )
    db.session.commit()
    assert document(therapist.id) is None  # a draft is not listed
    therapists.publish(therapist)
    db.session.commit()
    doc = document(therapist.id)
    assert (doc.slug, doc.name, doc.headline) == ("ana-reyes", "Ana Reyes", "Calm, careful work")
    assert (doc.clinic_slug, doc.clinic_name, doc.city_name) == (
        clinic.slug,
        "Lakeside Massage",
        "Vancouver",
    )
    assert (doc.latitude, doc.longitude) == (clinic.latitude, clinic.longitude)
    thai, shiatsu = term_id(Modality, "thai"), term_id(Modality, "shiatsu")
    assert sorted(doc.modality_ids.split()) == sorted([str(thai), str(shiatsu)])
    assert doc.modality_ids.startswith(" ") and doc.modality_ids.endswith(" ")
    assert sorted(doc.language_codes.split()) == ["en", "ja"]
    assert not doc.accepting_new_clients and not doc.accreditation_verified
    assert (doc.rating_count, doc.rating_mean) == (0, None)
    assert doc.rating_score == pytest.approx(platform_mean())


def test_editing_a_therapist_rebuilds_its_document(app):
    therapist = listed()
    before = document(therapist.id)
    old_version = before.version
    therapists.update_therapist(
        therapist,
        profile(
            "Ana Reyes-Moreau",
            headline="Sports massage",
            modality_ids=[term_id(Modality, "sports")],
            condition_ids=[term_id(Condition, "sciatica")],
            language_codes=["fr"],
            accepting_new_clients=False,
        ),
    )
    db.session.commit()
    doc = document(therapist.id)
    assert doc.version > old_version
    assert (doc.name, doc.headline, doc.accepting_new_clients) == (
        "Ana Reyes-Moreau",
        "Sports massage",
        False,
    )
    assert doc.modality_ids.split() == [str(term_id(Modality, "sports"))]
    assert doc.condition_ids.split() == [str(term_id(Condition, "sciatica"))]
    assert doc.language_codes.split() == ["fr"]
    assert slugs(run(q="sciatica")) == ["ana-reyes"]
    assert run(q="swedish stress").total == 0
    assert slugs(run(specialty="sports", language="French")) == ["ana-reyes"]


def test_unpublishing_removes_the_document_in_the_same_transaction(app):
    therapist = listed()
    assert slugs(run(q="ana reyes")) == ["ana-reyes"]
    therapists.unpublish(therapist)
    # Gone inside the transaction that unpublished, not after a worker catches up ...
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 0
    db.session.rollback()
    # ... and back if that transaction does not commit.
    assert document(therapist.id) is not None
    therapist = db.session.get(Therapist, therapist.id)
    therapists.unpublish(therapist)
    db.session.commit()
    assert document(therapist.id) is None
    assert run(q="ana reyes").total == 0 and run().total == 0

    therapists.publish(db.session.get(Therapist, therapist.id))
    db.session.commit()
    assert slugs(run(q="ana reyes")) == ["ana-reyes"]
    therapists.delete_therapist(db.session.get(Therapist, therapist.id))
    db.session.commit()
    assert document(therapist.id) is None
    # A rebuild of a deleted therapist (a late worker) does not bring it back.
    assert rebuild_document(therapist.id) is False
    db.session.commit()
    assert document(therapist.id) is None


def test_a_verified_credential_sets_the_badge_and_a_changed_one_clears_it(app):
    therapist = listed()
    assert not document(therapist.id).accreditation_verified
    moderator = create_user(platform_role="moderator")
    verified_credential(therapist, moderator)
    db.session.commit()
    assert document(therapist.id).accreditation_verified
    assert slugs(run(verified="true")) == ["ana-reyes"]

    [credential] = db.session.get(Therapist, therapist.id).accreditations
    details = therapists.CredentialDetails(
        credential_type_id=credential.credential_type_id,
        issuing_body=credential.issuing_body,
        number="R-99999",
        issued_on=credential.issued_on,
        expires_on=None,
    )
    therapists.update_accreditation(credential, details)  # back to be checked again
    db.session.commit()
    assert not document(therapist.id).accreditation_verified
    assert run(verified="true").total == 0


def test_publishing_and_removing_reviews_moves_the_rating(app):
    therapist = listed()
    other = listed(name="Ben Ortiz")
    five = publish_review(therapist, 5, "Excellent.")
    publish_review(therapist, 3, "Fine.")
    publish_review(other, 4, "Good.")
    db.session.commit()
    mean = platform_mean()
    assert mean == pytest.approx(4.0)
    doc = document(therapist.id)
    assert (doc.rating_count, doc.rating_mean) == (2, pytest.approx(4.0))
    assert doc.rating_score == pytest.approx(bayesian_score(8, 2, mean))

    moderator = create_user(platform_role="moderator")
    moderation.unpublish(five, moderator, Reason.NOT_GENUINE)
    db.session.commit()
    doc = document(therapist.id)
    assert (doc.rating_count, doc.rating_mean) == (1, pytest.approx(3.0))
    assert doc.rating_score == pytest.approx(bayesian_score(3, 1, platform_mean()))
    assert slugs(run(min_rating="3.5")) == ["ben-ortiz"]
    assert slugs(run(min_rating="3")) == ["ben-ortiz", "ana-reyes"]


def test_a_review_adds_its_words_to_its_own_therapists_document_only(app):
    clinic = create_clinic()
    ana, ben = listed(clinic), listed(clinic, name="Ben Ortiz")
    publish_review(ana, 5, "Fixed the ache from my standing desk.")
    db.session.commit()
    publish_review(ben, 4, "Great after kettlebell training.")
    db.session.commit()
    assert slugs(run(q="desk")) == ["ana-reyes"]
    assert slugs(run(q="kettlebell")) == ["ben-ortiz"]
    assert "kettlebell" not in document(ana.id).text_c
    assert "desk" not in document(ben.id).text_c


def test_review_text_is_the_newest_reviews_cut_to_a_fixed_length(app):
    therapist = listed(headline="Calm", bio="Careful.")
    start = utcnow() - timedelta(days=30)
    oldest = [publish_review(therapist, 4, f"Visit {n}: zeppelin story.") for n in range(2)]
    # Two of these are already longer than the cap.
    filler = "lovely " * (REVIEW_TEXT_CAP // 14 + 10)
    newest = [
        publish_review(therapist, 5, f"Visit {n}: {filler}marker{n}")
        for n in range(max(REVIEW_SAMPLE_SIZE, 2))
    ]
    for day, review in enumerate(oldest + newest):
        review.published_at = start + timedelta(days=day)
    therapists.queue_reindex(therapist)
    db.session.commit()
    doc = document(therapist.id)
    assert len(doc.text_c) <= len("Calm Careful. ") + REVIEW_TEXT_CAP
    assert "zeppelin" not in doc.text_c  # older than the newest REVIEW_SAMPLE_SIZE
    assert f"marker{len(newest) - 1}" in doc.text_c  # the newest comes first
    assert "marker0" not in doc.text_c  # cut off by the cap
    assert run(q="zeppelin").total == 0
    assert slugs(run(q=f"marker{len(newest) - 1}")) == ["ana-reyes"]
    assert doc.rating_count == len(oldest) + len(newest)  # every review still counts


def test_a_stale_rebuild_never_overwrites_a_newer_document(app, monkeypatch):
    therapist = listed()
    start = document(therapist.id).version

    def rebuild_as_of(version: int) -> bool:
        monkeypatch.setattr(documents.time, "time_ns", lambda: version)
        return rebuild_document(therapist.id)

    def stored() -> tuple[str, int]:
        doc = document(therapist.id)
        return doc.name, doc.version

    therapist.name = "Ana Newer"
    assert rebuild_as_of(start + 3_000) is True
    db.session.commit()
    assert stored() == ("Ana Newer", start + 3_000)

    # A worker that started earlier (an older version) finishes late, with other data.
    therapist = db.session.get(Therapist, therapist.id)
    therapist.name = "Ana Stale"
    assert rebuild_as_of(start + 2_000) is True  # listed; the stored document is newer
    db.session.commit()
    assert stored() == ("Ana Newer", start + 3_000)

    assert rebuild_as_of(start + 4_000) is True
    db.session.commit()
    assert stored() == ("Ana Stale", start + 4_000)


def test_a_rebuild_drops_the_document_of_a_therapist_no_longer_listed(app):
    therapist = listed()
    # Unlisted behind the services' back (a bulk update, a restore): the next rebuild,
    # however it is triggered, converges on "no document".
    db.session.execute(
        sa.update(Therapist).where(Therapist.id == therapist.id).values(is_published=False)
    )
    assert rebuild_document(therapist.id) is False
    db.session.commit()
    assert document(therapist.id) is None
    assert run().total == 0


def test_a_rebuild_is_a_recompute_that_converges(app):
    therapist = listed()
    publish_review(therapist, 4, "Good.")
    db.session.commit()
    first = document(therapist.id)
    snapshot = {c: getattr(first, c) for c in documents.DOCUMENT_COLUMNS}
    for _ in range(2):
        rebuild_document(therapist.id)
        db.session.commit()
    again = document(therapist.id)
    for column in set(documents.DOCUMENT_COLUMNS) - {"version", "updated_at"}:
        assert getattr(again, column) == snapshot[column], column
    assert again.version > snapshot["version"]


def test_renaming_or_moving_a_clinic_updates_its_therapists_documents(app):
    clinic = create_clinic("Lakeside Massage")
    therapist = listed(clinic)
    vancouver = city("vancouver")
    details = ClinicDetails(
        name="Harbourfront Massage",
        website="",
        phone="",
        email="",
        address="",
        postal_code="",
        city=vancouver,
        description="",
    )
    update_clinic(clinic, details)
    db.session.commit()
    doc = document(therapist.id)
    assert (doc.clinic_name, doc.city_name) == ("Harbourfront Massage", "Vancouver")
    assert (doc.latitude, doc.longitude) == (vancouver.latitude, vancouver.longitude)
    assert slugs(run(q="harbourfront")) == ["ana-reyes"]
    assert slugs(run(near="vancouver", radius_km="5")) == ["ana-reyes"]
