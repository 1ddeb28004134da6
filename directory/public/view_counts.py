"""Profile views per therapist and day: counted in Redis, added to the database in batches.

A visit must not wait for a database transaction.  With Redis, a visit is one HINCRBY on
a hash of "day slug" -> visits.  A beat task (`profile_views.flush`, every minute) moves
the hash aside under a name of its own (RENAME is atomic, so no visit falls between),
adds its counts to therapist_daily_views in one statement, commits, and only then deletes
it.  A hash left behind by a failed flush is added by the next one, so nothing counted is
lost short of Redis itself losing it: view counts are statistics, not records.

Without Redis (or when Redis fails) the visit is written at once in a transaction of its
own.  Either way a failure is logged and never reaches the page.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import Counter
from datetime import date

import redis
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from directory.core import redis_client
from directory.core.database import insert_or_on_conflict
from directory.core.tenancy import act_for_all_clinics, current_scope, enter_clinic, restore_scope
from directory.extensions import db
from directory.therapists.models import Therapist, TherapistDailyViews

log = logging.getLogger(__name__)

# Longer than any flush takes; a flush that dies holding the lock only delays the next.
FLUSH_LOCK_SECONDS = 300
ROWS_PER_STATEMENT = 2000  # 4 parameters a row, well inside either database's limit

ViewKey = tuple[date, str]  # (day, therapist slug)


def count_view(slug: str, today: date | None = None) -> None:
    """One more view of the listed therapist `slug` today."""
    day = today or date.today()
    client = redis_client.available()
    if client is not None:
        try:
            client.hincrby(_pending_key(), f"{day.isoformat()} {slug}", 1)
            return
        except redis.RedisError as error:
            redis_client.failed(error, "counting a profile view")
    _write_now(slug, day)


def flush() -> int:
    """Add every view counted in Redis to the database; returns how many views were added.

    Hashes left by an earlier flush that failed go first.  Runs for all clinics, one flush
    at a time (a Redis lock: two at once could add the same hash twice).  While Redis is
    unavailable nothing is added; the views wait in Redis for a later flush.
    """
    client = redis_client.available()
    if client is None:
        return 0
    try:
        lock = client.lock(f"{_prefix()}flush-lock", timeout=FLUSH_LOCK_SECONDS)
        if not lock.acquire(blocking=False):
            return 0  # another flush is at work; the next one takes what it leaves
        try:
            return _flush(client)
        finally:
            with contextlib.suppress(redis.RedisError):
                lock.release()
    except redis.RedisError as error:
        redis_client.failed(error, "adding up profile views")
        return 0


def _flush(client: redis.Redis) -> int:
    act_for_all_clinics()  # a platform job: the views of every clinic's therapists
    with contextlib.suppress(redis.ResponseError):  # nothing counted since the last flush
        client.rename(_pending_key(), f"{_flushing_prefix()}{uuid.uuid4().hex}")
    added = 0
    for key in client.scan_iter(match=f"{_flushing_prefix()}*", count=100):
        counts = Counter()
        for field, views in client.hgetall(key).items():
            day, _, slug = field.decode().partition(" ")
            counts[(date.fromisoformat(day), slug)] += int(views)
        added += add_views(counts)
        db.session.commit()
        client.delete(key)
    return added


def add_views(counts: Counter[ViewKey]) -> int:
    """Add `counts` to therapist_daily_views in the caller's scope and transaction; views
    of slugs no longer known are dropped.  Returns how many were added."""
    if not counts:
        return 0
    slugs = {slug for _day, slug in counts}
    therapists = {
        slug: (therapist_id, clinic_id)
        for slug, therapist_id, clinic_id in db.session.execute(
            sa.select(Therapist.slug, Therapist.id, Therapist.clinic_id).where(
                Therapist.slug.in_(slugs)
            )
        )
    }
    rows = [
        {
            "therapist_id": therapists[slug][0],
            "clinic_id": therapists[slug][1],
            "day": day,
            "views": views,
        }
        for (day, slug), views in sorted(counts.items())
        if slug in therapists
    ]
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = insert_or_on_conflict(TherapistDailyViews).values(
            rows[start : start + ROWS_PER_STATEMENT]
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["therapist_id", "day"],
                set_={"views": TherapistDailyViews.views + statement.excluded.views},
            )
        )
    return sum(row["views"] for row in rows)


def _write_now(slug: str, day: date) -> None:
    """The view in a transaction of its own, in the therapist's clinic."""
    saved = current_scope()
    try:
        clinic_id = db.session.scalar(sa.select(Therapist.clinic_id).where(Therapist.slug == slug))
        if clinic_id is None:
            return
        enter_clinic(clinic_id)
        if db.session.get_bind().dialect.name == "postgresql":
            # A view count may lose its last few increments in a crash; the page must not
            # wait for a disk flush.
            db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
        add_views(Counter({(day, slug): 1}))
        db.session.commit()
    except SQLAlchemyError:
        log.warning("could not count a view of therapist %s", slug, exc_info=True)
        db.session.rollback()
    finally:
        restore_scope(saved)


def _prefix() -> str:
    return redis_client.key("profile-views:")


def _pending_key() -> str:
    return f"{_prefix()}pending"


def _flushing_prefix() -> str:
    return f"{_prefix()}flushing:"
