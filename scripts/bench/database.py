"""The benchmark's database: created, migrated and seeded once per size, then reused.

A database is reused when its comment records the seed it was built with (sizes and
seed); anything else is dropped and built again.  Seeding runs as the owner (COPY into
tables with row-level security needs it); the app and the worker connect as an
application role made with `flask db-roles create-app-role`, as in production.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from scripts.bench.processes import Finished, environment, flask_command, run_timed

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
MARKER = "directory benchmark seed: "


@dataclass(frozen=True)
class Size:
    database: str
    clinics: int
    therapists: int
    reviews: int
    seed: int = 1

    @property
    def app_role(self) -> str:
        """Roles are shared by the server's databases: one per benchmark database."""
        return f"{self.database}_app"

    def marker(self) -> str:
        fields = asdict(self)
        fields.pop("database")
        return MARKER + json.dumps(fields, sort_keys=True)

    def label(self) -> str:
        return (
            f"{self.clinics:,} clinics / {self.therapists:,} therapists / "
            f"{self.reviews:,} reviews (seed {self.seed})"
        )


FULL = Size("directory_bench", 2_000, 100_000, 1_000_000)
SMALL = Size("directory_bench_small", 200, 10_000, 100_000)


def admin_url() -> str:
    """The server to build on: BENCH_POSTGRES_URL, else TEST_POSTGRES_ADMIN_URL, else local."""
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
        "TEST_POSTGRES_ADMIN_URL", DEFAULT_ADMIN_URL
    )
    url = sa.engine.make_url(url).set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def url_of(admin: str, database: str, user: str | None = None, password: str | None = None):
    url = sa.engine.make_url(admin).set(database=database)
    if user:
        url = url.set(username=user, password=password)
    # The app's config takes plain postgresql:// URLs and picks psycopg 3 itself.
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass(frozen=True)
class Prepared:
    owner_url: str
    app_url: str
    server_version: str
    seeding: Finished | None  # None when an earlier run's database was reused
    autovacuum: str  # the server's setting
    vacuum_seconds: float


def _admin_engine(admin: str) -> sa.Engine:
    return sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _comment(connection: sa.Connection, database: str) -> str | None:
    """The database's comment; None when the database does not exist ('' when no comment)."""
    row = connection.execute(
        sa.text(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '')"
            " FROM pg_database WHERE datname = :name"
        ),
        {"name": database},
    ).first()
    return None if row is None else row[0]


def _recreate(connection: sa.Connection, database: str) -> None:
    name = connection.scalar(sa.text("SELECT quote_ident(:n)"), {"n": database})
    connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    connection.exec_driver_sql(f"CREATE DATABASE {name}")


def _set_comment(connection: sa.Connection, database: str, text: str) -> None:
    statement = connection.scalar(
        sa.text(
            "SELECT format('COMMENT ON DATABASE %I IS %L', CAST(:n AS text), CAST(:t AS text))"
        ),
        {"n": database, "t": text},
    )
    connection.exec_driver_sql(statement)


def prepare(size: Size, run_dir: Path, *, reseed: bool, say) -> Prepared:
    """A migrated database of `size` with its application role; seeds only when needed."""
    admin = admin_url()
    owner_url = url_of(admin, size.database)
    owner_env = environment(APP_ENV="local", DATABASE_URL=owner_url, DATABASE_OWNER_URL=owner_url)
    engine = _admin_engine(admin)
    try:
        with engine.connect() as connection:
            version = connection.scalar(sa.text("SHOW server_version"))
            comment = _comment(connection, size.database)
            fresh = reseed or comment != size.marker()
            if fresh:
                say(f"creating database {size.database} (found: {comment or 'nothing usable'})")
                _recreate(connection, size.database)
        say("flask db upgrade (as the owner)")
        run_timed(flask_command("db", "upgrade"), owner_env, run_dir / "db-upgrade.log")
        seeding = None
        if fresh:
            say(f"seeding {size.label()} (as the owner)")
            seeding = run_timed(
                flask_command(
                    "seed-demo",
                    "--clinics",
                    str(size.clinics),
                    "--therapists",
                    str(size.therapists),
                    "--reviews",
                    str(size.reviews),
                    "--seed",
                    str(size.seed),
                ),
                owner_env,
                run_dir / "seed-demo.log",
            )
            say(f"seeded in {seeding.seconds:.1f} s, peak RSS {seeding.peak_rss_mb:.0f} MB")
            with engine.connect() as connection:
                _set_comment(connection, size.database, size.marker())
        else:
            say(f"reusing {size.database}, seeded earlier with {size.label()}")
    finally:
        engine.dispose()
    autovacuum, vacuum_seconds = vacuum_analyze(owner_url)
    say(f"VACUUM (ANALYZE) in {vacuum_seconds:.1f} s (the server's autovacuum is {autovacuum})")
    password = secrets.token_hex(16)
    run_timed(
        flask_command("db-roles", "create-app-role", size.app_role, "--password", password),
        owner_env,
        run_dir / "create-app-role.log",
    )
    app_url = url_of(admin, size.database, size.app_role, password)
    return Prepared(owner_url, app_url, version, seeding, autovacuum, vacuum_seconds)


def vacuum_analyze(owner_url: str) -> tuple[str, float]:
    """VACUUM (ANALYZE) the whole database; (the server's autovacuum setting, seconds).

    What autovacuum does on its own some time after a bulk load, done now: the seed
    writes with COPY and leaves no statistics, and without them the planner misjudges
    every join (a reindex batch ran 25 times slower).  Run each time, because a server
    with autovacuum off never catches up with the writes of earlier runs either.
    """
    url = sa.engine.make_url(owner_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            setting = connection.scalar(sa.text("SHOW autovacuum"))
            started = time.perf_counter()
            connection.exec_driver_sql("VACUUM (ANALYZE)")
            return setting, time.perf_counter() - started
    finally:
        engine.dispose()


def owner_engine(owner_url: str) -> sa.Engine:
    """The owner, acting for all clinics (the owner is bound by forced row-level security too)."""
    url = sa.engine.make_url(owner_url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, poolclass=NullPool)

    @sa.event.listens_for(engine, "connect")
    def _all_clinics(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.all_clinics', 'on', false)")
        dbapi_connection.commit()

    return engine
