"""Building a therapist's search document from the source rows.

A rebuild is a recompute: running it twice, or out of order, converges on the same row.
Each document carries a version (nanoseconds at build time); a write only replaces a
document with an older version, so a slow, stale rebuild never overwrites a newer one.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.reviews.ratings import bayesian_score, platform_mean
from directory.search.models import SearchDocument
from directory.therapists.models import AccreditationState, Therapist

# Review text adds words clients use, but must not swamp names and modalities.
REVIEW_TEXT_CAP = 2000


def _ids(values) -> str:
    return " " + " ".join(str(v) for v in values) + " " if values else ""


def _review_sample(therapist_id: int) -> str:
    bodies = db.session.scalars(
        sa.select(Review.title + ". " + Review.body)
        .where(Review.therapist_id == therapist_id, Review.state == ReviewState.PUBLISHED)
        .order_by(Review.published_at.desc())
        .limit(20)
    )
    sample = " ".join(bodies)
    return sample[:REVIEW_TEXT_CAP]


def build_document(therapist: Therapist) -> dict:
    """The document's column values for a listed therapist."""
    clinic = therapist.clinic
    rating = db.session.get(TherapistRating, therapist.id)
    count, total = (rating.review_count, rating.rating_sum) if rating else (0, 0)
    verified = any(a.state == AccreditationState.VERIFIED for a in therapist.accreditations)
    return {
        "therapist_id": therapist.id,
        "clinic_id": therapist.clinic_id,
        "version": time.time_ns(),
        "slug": therapist.slug,
        "name": therapist.name,
        "clinic_slug": clinic.slug,
        "clinic_name": clinic.name,
        "city_id": clinic.city_id,
        "city_name": clinic.city.name,
        "latitude": clinic.latitude,
        "longitude": clinic.longitude,
        "modality_ids": _ids(m.id for m in therapist.modalities),
        "condition_ids": _ids(c.id for c in therapist.conditions),
        "language_codes": _ids(lang.code for lang in therapist.languages),
        "accepting_new_clients": therapist.accepting_new_clients,
        "accreditation_verified": verified,
        "rating_count": count,
        "rating_mean": total / count if count else None,
        "rating_score": bayesian_score(total, count, platform_mean()),
        "text_a": " ".join([therapist.name, *(m.name for m in therapist.modalities)]),
        "text_b": " ".join(
            [*(c.name for c in therapist.conditions), clinic.city.name, clinic.name]
        ),
        "text_c": " ".join([therapist.headline, therapist.bio, _review_sample(therapist.id)]),
        "updated_at": utcnow(),
    }


def _upsert(values: dict) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(SearchDocument)
    statement = insert.values(**values)
    changes = {k: statement.excluded[k] for k in values if k != "therapist_id"}
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[SearchDocument.therapist_id],
            set_=changes,
            where=SearchDocument.version < statement.excluded.version,
        )
    )


def rebuild_document(therapist_id: int) -> bool:
    """Make the therapist's document match its rows; True if the therapist is listed.

    An unpublished or deleted therapist loses its document at once.  The caller commits.
    """
    therapist = db.session.get(Therapist, therapist_id)
    if therapist is None or not therapist.is_live:
        db.session.execute(
            sa.delete(SearchDocument).where(SearchDocument.therapist_id == therapist_id)
        )
        return False
    _upsert(build_document(therapist))
    return True


def rebuild_all(batch_size: int = 500) -> int:
    """Rebuild every listed therapist's document and drop the others'; returns how many.

    Streams therapist ids in batches and commits per batch, so memory stays flat and
    search keeps answering throughout.
    """
    listed = sa.and_(Therapist.is_published.is_(True), Therapist.deleted_at.is_(None))
    db.session.execute(
        sa.delete(SearchDocument).where(
            SearchDocument.therapist_id.not_in(sa.select(Therapist.id).where(listed))
        )
    )
    db.session.commit()
    rebuilt, after_id = 0, 0
    while True:
        ids = list(
            db.session.scalars(
                sa.select(Therapist.id)
                .where(listed, Therapist.id > after_id)
                .order_by(Therapist.id)
                .limit(batch_size)
            )
        )
        if not ids:
            return rebuilt
        for therapist_id in ids:
            rebuild_document(therapist_id)
        db.session.commit()
        db.session.expunge_all()
        rebuilt, after_id = rebuilt + len(ids), ids[-1]
