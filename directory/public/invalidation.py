"""What a commit makes stale in the shared store, worked out from what the session flushed.

Domains say nothing to caches.  This module listens to every flush of the app's sessions
and names the subjects of the shared store whose values show the rows being written;
`shared_store.changed` starts their new generations once the transaction commits (through
the one after-commit mechanism, so a rolled-back savepoint or transaction forgets nothing).

| rows written                                  | subjects made stale                      |
|-----------------------------------------------|------------------------------------------|
| a therapist (under its old slug too)          | its profile                              |
| a row of a therapist: accreditation, review,  | the therapist's profile                  |
| specialty, condition or language link         |                                          |
| a clinic's reply to a review                  | the reviewed therapist's profile         |
| a clinic, its opening hours or closures       | the profile of each of its therapists    |
| a user, or one of their memberships           | the account's header snapshot            |
| a therapist's headshot                        | its profile, and the search pages (cards |
|                                               | show it)                                 |

Search pages are made stale by the search index itself: every change of a search
document (committed, or a full reindex) is announced under the index's after-commit kind,
and this module listens to it.  Listening to flushes happens before the flush, where the
rows' therapists may still be looked up, and only while pages are shared.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.accounts.models import User
from directory.clinics.models import Clinic, ClinicClosure, ClinicHours, Membership
from directory.core import after_commit
from directory.photos.models import Photo
from directory.public import shared_store
from directory.public.page_cache import SEARCH_SUBJECT, profile_subject
from directory.public.visitor_accounts import account_subject
from directory.reviews.models import ClinicReply, Review
from directory.search import cache as search_cache
from directory.therapists.models import (
    Accreditation,
    Therapist,
    TherapistCondition,
    TherapistLanguage,
    TherapistModality,
)

# Rows a therapist's profile shows, each naming its therapist by therapist_id.
THERAPIST_ROWS = (Accreditation, Review, TherapistModality, TherapistCondition, TherapistLanguage)


def init_app(app: Flask, session_class: type[Session]) -> None:
    if not event.contains(session_class, "before_flush", _note_stale_subjects):
        event.listen(session_class, "before_flush", _note_stale_subjects)
    after_commit.on_commit(search_cache.INDEX_CHANGED, _search_pages_stale)


def _search_pages_stale(_items: list) -> None:
    shared_store.forget(SEARCH_SUBJECT)


def stale_subjects(session: Session) -> set[str]:
    """The subjects whose stored values show rows this flush writes."""
    subjects: set[str] = set()
    therapist_ids: set[int] = set()
    review_ids: set[int] = set()
    clinic_ids: set[int] = set()
    for instance in _written(session):
        if isinstance(instance, Therapist):
            history = sa.inspect(instance).attrs.slug.history
            subjects.update(profile_subject(slug) for slug in (*history.deleted, instance.slug))
        elif isinstance(instance, User):
            if instance.id is not None:  # a new account has no snapshot yet
                subjects.add(account_subject(str(instance.id)))
        elif isinstance(instance, Membership):  # the header's "Your clinics"
            subjects.add(account_subject(str(instance.user_id)))
        elif isinstance(instance, Clinic):
            clinic_ids.add(instance.id)
        elif isinstance(instance, (ClinicHours, ClinicClosure)):
            clinic_ids.add(instance.clinic_id)
        elif isinstance(instance, ClinicReply):
            review_ids.add(instance.review_id)
        elif isinstance(instance, Photo):
            if instance.therapist_id is not None:
                therapist_ids.add(instance.therapist_id)
                subjects.add(SEARCH_SUBJECT)
        elif isinstance(instance, THERAPIST_ROWS):
            therapist_ids.add(instance.therapist_id)
    wanted = []
    if therapist_ids - {None}:
        wanted.append(Therapist.id.in_(therapist_ids - {None}))
    if clinic_ids - {None}:
        wanted.append(Therapist.clinic_id.in_(clinic_ids - {None}))
    if review_ids - {None}:
        reviewed = sa.select(Review.therapist_id).where(Review.id.in_(review_ids - {None}))
        wanted.append(Therapist.id.in_(reviewed))
    if wanted:
        slugs = session.scalars(sa.select(Therapist.slug).where(sa.or_(*wanted)))
        subjects.update(profile_subject(slug) for slug in slugs)
    return subjects


def _written(session: Session):
    yield from session.new
    yield from session.deleted
    for instance in session.dirty:
        if session.is_modified(instance):
            yield instance


def _note_stale_subjects(session: Session, flush_context, instances) -> None:
    if not shared_store.enabled():
        return
    for subject in sorted(stale_subjects(session)):
        shared_store.changed(subject, session)
