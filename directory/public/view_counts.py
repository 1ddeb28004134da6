"""Profile views, and clicks on a profile's Book, Call, Email and website links, per
therapist and day: counted in Redis, added to the database in batches.

A visit must not wait for a database transaction.  With Redis, a visit is one HINCRBY on
a hash of "day slug" -> visits (a click: "day slug kind" -> clicks, in the same hash).
A beat task (`profile_views.flush`, every minute) moves the hash aside under a name of its
own (RENAME is atomic, so no visit falls between), adds its counts to
therapist_daily_views and therapist_daily_contacts in one statement each, commits, and
only then deletes it.  A hash left behind by a failed flush is added by the next one, so
nothing counted is lost short of Redis itself losing it: counts are statistics, not records.

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
from directory.therapists.models import (
    ContactKind,
    Therapist,
    TherapistDailyContacts,
    TherapistDailyViews,
)

log = logging.getLogger(__name__)

# Longer than any flush takes; a flush that dies holding the lock only delays the next.
FLUSH_LOCK_SECONDS = 300
ROWS_PER_STATEMENT = 2000  # 4 or 5 parameters a row, well inside either database's limit

ViewKey = tuple[date, str]  # (day, therapist slug)
ContactKey = tuple[date, str, str]  # (day, therapist slug, kind)


def count_view(slug: str, today: date | None = None) -> None:
    """One more view of the listed therapist `slug` today."""
    day = today or date.today()
    if not _count_in_redis(f"{day.isoformat()} {slug}", "counting a profile view"):
        _write_now(slug, lambda: add_views(Counter({(day, slug): 1})))


def count_contact(slug: str, kind: ContactKind, today: date | None = None) -> None:
    """One more click on the `kind` link of the listed therapist `slug` today."""
    day = today or date.today()
    if not _count_in_redis(f"{day.isoformat()} {slug} {kind}", "counting a contact click"):
        _write_now(slug, lambda: add_contacts(Counter({(day, slug, str(kind)): 1})))


def _count_in_redis(field: str, doing: str) -> bool:
    client = redis_client.available()
    if client is None:
        return False
    try:
        client.hincrby(_pending_key(), field, 1)
    except redis.RedisError as error:
        redis_client.failed(error, doing)
        return False
    return True


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
        views, contacts = Counter(), Counter()
        for field, count in client.hgetall(key).items():
            day, _, rest = field.decode().partition(" ")
            slug, _, kind = rest.partition(" ")
            if not kind:
                views[(date.fromisoformat(day), slug)] += int(count)
            elif kind in set(ContactKind):
                contacts[(date.fromisoformat(day), slug, kind)] += int(count)
        added += add_views(views) + add_contacts(contacts)
        db.session.commit()
        client.delete(key)
    return added


def add_views(counts: Counter[ViewKey]) -> int:
    """Add `counts` to therapist_daily_views in the caller's scope and transaction; views
    of slugs no longer known are dropped.  Returns how many were added."""
    if not counts:
        return 0
    therapists = _therapists_by_slug({slug for _day, slug in counts})
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


def add_contacts(counts: Counter[ContactKey]) -> int:
    """Add `counts` to therapist_daily_contacts like `add_views`; returns how many clicks
    were added."""
    if not counts:
        return 0
    therapists = _therapists_by_slug({slug for _day, slug, _kind in counts})
    rows = [
        {
            "therapist_id": therapists[slug][0],
            "clinic_id": therapists[slug][1],
            "day": day,
            "kind": kind,
            "clicks": clicks,
        }
        for (day, slug, kind), clicks in sorted(counts.items())
        if slug in therapists
    ]
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = insert_or_on_conflict(TherapistDailyContacts).values(
            rows[start : start + ROWS_PER_STATEMENT]
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["therapist_id", "day", "kind"],
                set_={"clicks": TherapistDailyContacts.clicks + statement.excluded.clicks},
            )
        )
    return sum(row["clicks"] for row in rows)


def _therapists_by_slug(slugs: set[str]) -> dict[str, tuple[int, int]]:
    return {
        slug: (therapist_id, clinic_id)
        for slug, therapist_id, clinic_id in db.session.execute(
            sa.select(Therapist.slug, Therapist.id, Therapist.clinic_id).where(
                Therapist.slug.in_(slugs)
            )
        )
    }


def _write_now(slug: str, add) -> None:
    """The count (`add()`) in a transaction of its own, in the therapist's clinic."""
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
        add()
        db.session.commit()
    except SQLAlchemyError:
        log.warning("could not count a visit of therapist %s", slug, exc_info=True)
        db.session.rollback()
    finally:
        restore_scope(saved)


def _prefix() -> str:
    return redis_client.key("profile-views:")


def _pending_key() -> str:
    return f"{_prefix()}pending"


def _flushing_prefix() -> str:
    return f"{_prefix()}flushing:"
