"""The full reindex: every document rebuilt into a shadow table, swapped in at the end.

Search keeps answering from the live table throughout.  The shadow is filled by
INSERT ... SELECT in batches of therapist ids (the database does the work; nothing is
loaded into Python, and each batch is its own transaction).  At the swap, writers are held
for a moment, documents the worker rebuilt meanwhile (newer versions) are carried over,
therapists unlisted meanwhile are dropped, and the shadow replaces the live table.

On PostgreSQL this is DDL, so it runs as the owner role (DATABASE_OWNER_URL), like
migrations.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from directory.core.database_roles import migration_engine
from directory.extensions import db
from directory.reviews.ratings import platform_mean
from directory.search import cache
from directory.search.backends import SearchBackend, backend_for
from directory.search.documents import DOCUMENT_COLUMNS, document_select
from directory.search.models import SearchDocument
from directory.therapists.models import Therapist
from directory.therapists.queries import listed

LIVE = SearchDocument.__table__.name
SHADOW = f"{LIVE}_rebuild"
BATCH_SIZE = 2000
COLUMNS = ", ".join(DOCUMENT_COLUMNS)


@dataclass(frozen=True)
class ReindexReport:
    documents: int
    seconds: float


def _shadow_table() -> sa.Table:
    columns = [sa.Column(c.name, c.type) for c in SearchDocument.__table__.columns]
    return sa.Table(SHADOW, sa.MetaData(), *columns)


def _batches(connection: sa.Connection, batch_size: int) -> list[tuple[int, int]]:
    """(after_id, last_id] ranges of about batch_size listed therapists each."""
    ids = sa.select(Therapist.id).where(listed()).order_by(Therapist.id)
    ranges, after_id = [], 0
    while True:
        batch = ids.where(Therapist.id > after_id).limit(batch_size).subquery()
        last = connection.scalar(sa.select(sa.func.max(batch.c.id)))
        if last is None:
            connection.commit()
            return ranges
        ranges.append((after_id, last))
        after_id = last


def _fill_range(
    engine: sa.Engine, backend: SearchBackend, mean: float, after_id: int, last_id: int
) -> int:
    """Build one range of documents into the shadow, in its own transaction."""
    select = document_select(backend, time.time_ns(), mean).where(
        Therapist.id > after_id, Therapist.id <= last_id
    )
    with engine.connect() as connection:
        backend.act_for_all_clinics(connection)
        connection.execute(sa.insert(_shadow_table()).from_select(DOCUMENT_COLUMNS, select))
        connection.commit()
    return last_id


def _fill(
    engine: sa.Engine,
    backend: SearchBackend,
    connection: sa.Connection,
    mean: float,
    batch_size: int,
    progress: Callable[[int], None],
) -> int:
    """Fill the shadow, range by range, on as many connections at once as the backend
    fills with (one per core on PostgreSQL)."""
    ranges = _batches(connection, batch_size)
    with ThreadPoolExecutor(max_workers=backend.fill_connections()) as pool:
        jobs = [pool.submit(_fill_range, engine, backend, mean, *bounds) for bounds in ranges]
        for job in as_completed(jobs):
            progress(job.result())  # in this thread: the callback may use the app
    return connection.scalar(sa.select(sa.func.count()).select_from(_shadow_table()))


def _catch_up(connection: sa.Connection) -> None:
    """Carry over what changed while the shadow was built (writers are held off now)."""
    connection.exec_driver_sql(
        f"DELETE FROM {SHADOW} WHERE therapist_id IN (SELECT l.therapist_id FROM {LIVE} l"
        f" JOIN {SHADOW} s ON s.therapist_id = l.therapist_id WHERE l.version > s.version)"
    )
    connection.exec_driver_sql(
        f"INSERT INTO {SHADOW} ({COLUMNS}) SELECT {COLUMNS} FROM {LIVE} l"
        f" WHERE NOT EXISTS (SELECT 1 FROM {SHADOW} s WHERE s.therapist_id = l.therapist_id)"
    )
    shadow = _shadow_table()
    connection.execute(
        sa.delete(shadow).where(
            shadow.c.therapist_id.not_in(sa.select(Therapist.id).where(listed()))
        )
    )


def _swap(backend: SearchBackend, connection: sa.Connection) -> None:
    backend.hold_writers(connection, LIVE)
    _catch_up(connection)
    backend.replace_live_table(connection, LIVE, SHADOW)
    connection.commit()


def rebuild_all(
    batch_size: int = BATCH_SIZE, progress: Callable[[int], None] = lambda done: None
) -> ReindexReport:
    """Rebuild every listed therapist's document into a shadow table and swap it in."""
    started = time.perf_counter()
    mean = platform_mean()
    db.session.remove()
    engine = migration_engine(current_app.config, db.engine)
    backend = backend_for(engine.dialect.name)
    try:
        with engine.connect() as connection:
            backend.act_for_all_clinics(connection)
            backend.create_shadow(connection, LIVE, SHADOW)
            connection.commit()
            documents = _fill(engine, backend, connection, mean, batch_size, progress)
            backend.finish_shadow(connection, LIVE, SHADOW)
            _swap(backend, connection)
        backend.after_swap(engine, LIVE)
    finally:
        if engine is not db.engine:
            engine.dispose()
    cache.index_rebuilt()
    return ReindexReport(documents, time.perf_counter() - started)
