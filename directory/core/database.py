"""Per-connection database settings, and the one statement whose syntax differs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from directory.core.geo import haversine_km
from directory.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _configure_sqlite_connection(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked, per connection.
    cursor.execute("PRAGMA foreign_keys = ON")
    # Web process, worker and CLI share one file: wait for a lock instead of failing.
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()
    # PostgreSQL computes distances in SQL; SQLite gets the same formula as a function.
    dbapi_connection.create_function("haversine_km", 4, haversine_km, deterministic=True)


def _configure_postgresql_connection(dbapi_connection, connection_record) -> None:
    with dbapi_connection.cursor() as cursor:
        # Row-level security policies inflate cost estimates past the JIT thresholds, and
        # compiling a short query then costs far more than running it.
        cursor.execute("SET jit = off")
        # psycopg prepares a statement run five times; after five more PostgreSQL may plan
        # it once for any values.  A search's best plan depends on its values (a rare word
        # or a common one, a small box or a large one): a generic plan of "words within
        # 25 km" took 35 ms where the plan for the actual values took 7 ms.  Prepared
        # statements still save parsing; each execution is planned for its values.
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def engine_options(config) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with the connect timeout of the configured database: an
    unreachable server fails a request in seconds (a 503) instead of hanging it."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        timeout = config["DATABASE_CONNECT_TIMEOUT_SECONDS"]
        options["connect_args"] = {"connect_timeout": timeout, **options.get("connect_args", {})}
    return options


def configure_engine(engine: sa.Engine) -> None:
    listener = {
        "sqlite": _configure_sqlite_connection,
        "postgresql": _configure_postgresql_connection,
    }.get(engine.dialect.name)
    if listener is not None and not event.contains(engine, "connect", listener):
        event.listen(engine, "connect", listener)


def insert_or_on_conflict(entity):
    """An INSERT into `entity` that can say what a conflicting row does
    (`.on_conflict_do_nothing` / `.on_conflict_do_update`): both databases have the clause,
    each under its own dialect's insert()."""
    return _INSERTS[db.session.get_bind().dialect.name](entity)
