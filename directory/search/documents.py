"""What a therapist's search document holds, written once as SQL for one row or for all.

The same SELECT builds a single document (the worker, after any change) and every document
(the full reindex, in batches of ids), so the two can never disagree.  A rebuild is a
recompute: running it twice, or out of order, converges on the same row.  Each document
carries a version (nanoseconds at build time); a write only replaces an older version, so
a slow, stale rebuild never overwrites a newer one.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.core.database import insert_or_on_conflict
from directory.core.models import UTCDateTime, utcnow
from directory.extensions import db
from directory.places.models import City
from directory.reviews.models import Review, ReviewState, TherapistRating
from directory.reviews.ratings import bayesian_score, platform_mean
from directory.search import cache
from directory.search.backends import SearchBackend, current_backend
from directory.search.models import SearchDocument
from directory.taxonomy.models import Condition, Modality
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
    TherapistCondition,
    TherapistLanguage,
    TherapistModality,
)
from directory.therapists.queries import listed

# Review text adds the words clients use ("desk", "shoulders") but must not swamp names
# and modalities: the newest few published reviews, cut to a fixed length.  The cap also
# bounds the cost of the tsvector, which is most of the cost of a full reindex.
REVIEW_SAMPLE_SIZE = 3
REVIEW_TEXT_CAP = 500

# Everyone listed is a massage therapist: "thai massage therapist" should find a Thai
# specialist through the key fields, not only through a bio that happens to say so.
PROFESSION_WORDS = " massage therapist therapy"

# Every column of the document, therapist_id first.
DOCUMENT_COLUMNS = [
    "therapist_id",
    *(c.name for c in SearchDocument.__table__.columns if c.name != "therapist_id"),
]


def _padded(backend: SearchBackend, column, link) -> sa.ScalarSelect:
    """ " 3 7 12 ": the ids (or codes) of a link table, so `LIKE '% 7 %'` finds one."""
    values = sa.select(backend.joined(sa.cast(column, sa.String))).where(
        link.therapist_id == Therapist.id
    )
    return sa.func.coalesce(" " + values.scalar_subquery() + " ", "")


def _names(backend: SearchBackend, term, link, key) -> sa.ScalarSelect:
    names = (
        sa.select(backend.joined(term.name))
        .join(link, key == term.id)
        .where(link.therapist_id == Therapist.id)
    )
    return sa.func.coalesce(names.scalar_subquery(), "")


def _review_sample(backend: SearchBackend):
    newest = (
        sa.select(Review.title, Review.body)
        .where(Review.therapist_id == Therapist.id, Review.state == ReviewState.PUBLISHED)
        .order_by(Review.published_at.desc())
        .limit(REVIEW_SAMPLE_SIZE)
        # A FROM subquery is not correlated by default: without this, every document
        # would get the newest reviews of the whole platform.
        .correlate(Therapist)
        .subquery()
    )
    text = sa.select(backend.joined(newest.c.title + ". " + newest.c.body)).scalar_subquery()
    return sa.func.coalesce(sa.func.substr(text, 1, REVIEW_TEXT_CAP), "")


def document_select(backend: SearchBackend, version: int, mean: float) -> sa.Select:
    """One row per listed therapist, in DOCUMENT_COLUMNS order; the caller adds a WHERE."""
    verified = (
        sa.select(Accreditation.id)
        .where(
            Accreditation.therapist_id == Therapist.id,
            Accreditation.state == AccreditationState.VERIFIED,
        )
        .exists()
    )
    count = sa.func.coalesce(TherapistRating.review_count, 0)
    total = sa.func.coalesce(TherapistRating.rating_sum, 0)
    values = {
        "therapist_id": Therapist.id,
        "clinic_id": Therapist.clinic_id,
        "version": sa.literal(version, sa.BigInteger),
        "slug": Therapist.slug,
        "name": Therapist.name,
        "headline": Therapist.headline,
        "clinic_slug": Clinic.slug,
        "clinic_name": Clinic.name,
        "city_id": Clinic.city_id,
        "city_name": City.name,
        "latitude": Clinic.latitude,
        "longitude": Clinic.longitude,
        "modality_ids": _padded(backend, TherapistModality.modality_id, TherapistModality),
        "condition_ids": _padded(backend, TherapistCondition.condition_id, TherapistCondition),
        "language_codes": _padded(backend, TherapistLanguage.language_code, TherapistLanguage),
        "accepting_new_clients": Therapist.accepting_new_clients,
        "accreditation_verified": verified,
        "rating_count": count,
        "rating_mean": total * 1.0 / sa.func.nullif(count, 0),
        "rating_score": bayesian_score(total, count, mean),
        "text_a": Therapist.name
        + " "
        + _names(backend, Modality, TherapistModality, TherapistModality.modality_id)
        + PROFESSION_WORDS,
        "text_b": _names(backend, Condition, TherapistCondition, TherapistCondition.condition_id)
        + " "
        + City.name
        + " "
        + Clinic.name,
        "text_c": Therapist.headline + " " + Therapist.bio + " " + _review_sample(backend),
        "updated_at": sa.literal(utcnow(), UTCDateTime()),
    }
    assert set(values) == set(DOCUMENT_COLUMNS), "document_select must fill every column"
    return (
        sa.select(*(values[name].label(name) for name in DOCUMENT_COLUMNS))
        .select_from(Therapist)
        .join(Clinic, Clinic.id == Therapist.clinic_id)
        .join(City, City.id == Clinic.city_id)
        .outerjoin(TherapistRating, TherapistRating.therapist_id == Therapist.id)
        .where(listed())
    )


def insert_documents(table: sa.Table, where) -> sa.Executable:
    """INSERT INTO table SELECT the documents of the therapists matching `where`."""
    select = document_select(current_backend(), time.time_ns(), platform_mean()).where(where)
    statement = insert_or_on_conflict(table).from_select([*DOCUMENT_COLUMNS], select)
    changes = {name: statement.excluded[name] for name in DOCUMENT_COLUMNS[1:]}
    return statement.on_conflict_do_update(
        index_elements=[table.c.therapist_id],
        set_=changes,
        where=table.c.version < statement.excluded.version,
    )


def remove_document(therapist_id: int) -> None:
    """Take a therapist out of search at once, in the caller's transaction."""
    cache.index_changed(db.session())
    db.session.execute(sa.delete(SearchDocument).where(SearchDocument.therapist_id == therapist_id))


def rebuild_document(therapist_id: int) -> bool:
    """Make the therapist's document match its rows; True if the therapist is listed.

    An unpublished or deleted therapist loses its document.  The caller commits.
    """
    cache.index_changed(db.session())
    result = db.session.execute(
        insert_documents(SearchDocument.__table__, Therapist.id == therapist_id),
        # Without it SQLAlchemy reports -1 for an INSERT on PostgreSQL, which reads as "written".
        execution_options={"preserve_rowcount": True},
    )
    if result.rowcount:
        return True
    therapist = db.session.get(Therapist, therapist_id)
    if therapist is None or not therapist.is_live:
        remove_document(therapist_id)
        return False
    return True  # listed, and the stored document is already newer
