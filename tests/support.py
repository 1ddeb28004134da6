"""Test plumbing shared by fixtures: reaching services, databases, free ports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from config import TestConfig
from directory import create_app
from directory.core.database_roles import create_app_role, owner_database_url
from directory.core.tenancy import (
    PUBLIC_SCOPE,
    act_for_all_clinics,
    current_scope,
    restore_scope,
)
from directory.extensions import db
from directory.search.schema import SQLITE_TABLE_PREFIXES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

# Tables filled by migrations; every other table is emptied after each test.
REFERENCE_TABLES = {
    "cities",
    "modalities",
    "conditions",
    "credential_types",
    "languages",
    "search_synonyms",
    "alembic_version",
}


@dataclass(frozen=True)
class MigratedDatabase:
    """A migrated test database: the app connects with `url` (on PostgreSQL an app role
    that cannot bypass row-level security); migrations and cleanup use `owner_url`."""

    url: str
    owner_url: str


def running_in_ci() -> bool:
    return bool(os.environ.get("CI"))


def unavailable(reason: str) -> None:
    """Skip with a clear reason locally; in CI a missing service is a failure."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_ADMIN_URL", DEFAULT_POSTGRES_ADMIN_URL)


def create_postgres_database() -> str:
    """A fresh, uniquely named database; returns its URL."""
    admin = sa.create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"directory_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {postgres_admin_url()}: {error.orig}")
    finally:
        admin.dispose()
    return (
        sa.engine.make_url(postgres_admin_url())
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def drop_postgres_database(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def isolate_request_scope(app: Flask) -> None:
    """Every request starts with no tenancy scope and gives the test back its own.

    In production each request has its own app context.  The test client runs requests
    inside the test's app context (and `g`), so without this a request would inherit
    the test's privileged setup scope and the test would inherit the request's clinic.
    Flask-WTF and Flask-Login keep the request's CSRF token and user in `g` as well; each
    request finds its own.
    """
    app.before_request_funcs.setdefault(None, []).insert(0, _enter_request_scope)
    app.teardown_request(_leave_request_scope)


def _enter_request_scope() -> None:
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    g.setdefault("scopes_outside_requests", []).append(current_scope())
    restore_scope(PUBLIC_SCOPE)


def _leave_request_scope(error: BaseException | None) -> None:
    saved = g.get("scopes_outside_requests")
    if not saved:
        return
    # If the request left its transaction aborted, the next one starts in this scope.
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        restore_scope(saved.pop())


def create_test_app_role(owner_url: str) -> tuple[str, str]:
    """A uniquely named application role on the owner's database: (name, URL that uses it).

    Roles are cluster-wide, so the name is unique per run; `drop_role` removes it.
    """
    name = f"directory_app_{uuid.uuid4().hex[:12]}"
    password = uuid.uuid4().hex
    owner = sa.create_engine(owner_url, poolclass=NullPool)
    try:
        create_app_role(owner, name, password)
    finally:
        owner.dispose()
    url = sa.engine.make_url(owner_url).set(username=name, password=password)
    return name, url.render_as_string(hide_password=False)


def drop_role(owner_url: str, name: str) -> None:
    """Drop a role made for the tests, after what it owns and was granted on this database."""
    owner = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with owner.connect() as connection:
        connection.exec_driver_sql(f'REASSIGN OWNED BY "{name}" TO CURRENT_USER')
        connection.exec_driver_sql(f'DROP OWNED BY "{name}"')
        connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
    owner.dispose()


def empty_database(url: str) -> None:
    """Remove every row the tests wrote to the database at `url` (an owner's URL)."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        empty_tables(engine)
    finally:
        engine.dispose()


def empty_tables(engine: sa.Engine) -> None:
    """Remove every row the test wrote, including the append-only audit table's.

    On PostgreSQL this takes the tables' owner (TRUNCATE, silencing triggers): given the
    current app's engine, which connects as the app role, it uses DATABASE_OWNER_URL.
    """
    if engine.dialect.name == "postgresql":
        _empty_postgres_tables(_owner_url_of(engine))
    else:
        _empty_sqlite_tables(engine)


def _owner_url_of(engine: sa.Engine) -> str:
    if (
        has_app_context()
        and sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]) == engine.url
    ):
        return owner_database_url(current_app.config)
    return engine.url.render_as_string(hide_password=False)


def _empty_postgres_tables(owner_url: str) -> None:
    owner = sa.create_engine(owner_url, poolclass=NullPool)
    try:
        tables = [t for t in sa.inspect(owner).get_table_names() if t not in REFERENCE_TABLES]
        with owner.begin() as connection:
            # Replica mode silences the append-only triggers for this transaction only.
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            quoted = ", ".join(f'"{t}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        owner.dispose()


def _empty_sqlite_tables(engine: sa.Engine) -> None:
    tables = [
        name
        for name in sa.inspect(engine).get_table_names()
        if name not in REFERENCE_TABLES and not name.startswith(SQLITE_TABLE_PREFIXES)
    ]
    with engine.begin() as connection:
        triggers = connection.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
        connection.execute(sa.text("PRAGMA defer_foreign_keys = ON"))
        for table in tables:
            connection.execute(sa.text(f'DELETE FROM "{table}"'))
        if _has_sequence(connection):
            connection.execute(sa.text("DELETE FROM sqlite_sequence"))
        for fts in ("search_fts", "search_names"):  # full-text indexes over search_documents
            connection.execute(sa.text(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')"))
        for _, sql in triggers:
            connection.execute(sa.text(sql))


def _has_sequence(connection) -> bool:
    return bool(
        connection.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        ).first()
    )


class SMTPServer:
    """aiosmtpd on 127.0.0.1 and a free port (or `port`); `messages` holds parsed emails as
    they arrive.

    A test may make it hold its answer to a message (`hold`), to kill a client mid-send:
    with `keep=False` the held message is dropped, as a server drops the message of a
    client that vanished before the reply; with `keep=True` it was accepted already.
    `arrived` is set when a message has reached the server.
    """

    def __init__(self, port: int | None = None):
        self.messages: list = []
        self.port = port or free_port()
        self._controller: Controller | None = None
        self.arrived = threading.Event()
        self._release = threading.Event()
        self._release.set()
        self._keep_held = True
        self.on_message = None  # called with each message before the server answers

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def hold(self, *, keep: bool) -> None:
        self._keep_held = keep
        self.arrived.clear()
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self.on_message is not None:
            self.on_message(message)
        held = not self._release.is_set()
        if not held or self._keep_held:
            self.messages.append(message)
        self.arrived.set()
        if held:
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 60)
            if not self._keep_held:
                return "451 Requested action aborted: the client went away"
        return "250 Message accepted for delivery"

    def start(self) -> None:
        """Listen (again: a stopped server comes back on the same port)."""
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        self._release.set()
        if self._controller is not None:  # a test may have stopped it already
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class RedisServer:
    """A `redis-server` of the test's own on a free loopback port, to stop, hang and bring
    back (never the machine's shared one).  It keeps nothing on disk."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server for good (its data goes with it)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a hung server must be able to exit
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def hang(self) -> None:
        """SIGSTOP: connections are accepted by the kernel, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    seen: list[str] = []

    def record(connection, cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temporary folder, on a
    free port), to stop and start again; never the machine's shared server."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.bin = self._bin_dir()

    @staticmethod
    def _bin_dir() -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found and shutil.which("initdb") is None:
            unavailable("PostgreSQL's initdb is not installed")
        return found[-1].parent if found else Path(shutil.which("initdb")).parent

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=timeout, capture_output=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: every connection is cut, as in a restart or a crash."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


class CeleryWorker:
    """A real `celery -A workers worker` process (solo pool) on its own queue, configured
    only by environment variables, as an operator runs it; the test may SIGKILL it."""

    def __init__(self, env: dict[str, str], queue: str, log_path: Path):
        self.env = {**os.environ, "APP_ENV": "local", "CELERY_QUEUE": queue, **env}
        self.queue = queue
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers",
                "worker",
                "--pool",
                "solo",
                "--queues",
                self.queue,
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    """condition()'s first truthy value within `timeout` seconds; fails the test saying
    `what` was awaited otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def run_at_once(actions: list, timeout: float = 60.0) -> list:
    """Run the callables in threads released together; their results, in order.

    Build clients and apps before calling: only the requests race.  A failure in a
    thread is raised here, and a thread that never arrives cannot hang the suite.
    """
    barrier = threading.Barrier(len(actions), timeout=timeout)
    results: list = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except BaseException as error:  # handed to the main thread below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), "a concurrent action hung"
    return results


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """`app` served over HTTP on its BASE_URL's loopback port, for the block; yields it."""
    port = int(app.config["BASE_URL"].rsplit(":", 1)[1])
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app.config["BASE_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=5)


def loopback_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


@contextlib.contextmanager
def shared_app(database: MigratedDatabase, instance: Path) -> Iterator[Flask]:
    """An app on the test database for data shared by a module's tests: yielded inside an
    app context that acts for all clinics, its requests isolated as `app`'s are, and the
    database emptied afterwards."""
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database.url,
        DATABASE_OWNER_URL=database.owner_url,
        INSTANCE_DIR=str(instance),
        MAIL_URL=f"file://{instance / 'mail'}",
        BASE_URL="http://localhost",
    )
    isolate_request_scope(app)
    try:
        with app.app_context():
            act_for_all_clinics()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        empty_database(database.owner_url)
