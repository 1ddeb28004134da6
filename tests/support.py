"""Test plumbing shared by fixtures: reaching services, databases, free ports."""

from __future__ import annotations

import os
import socket
import time
import uuid
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

DEFAULT_POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

# Tables filled by migrations; every other table is emptied after each test.
REFERENCE_TABLES = {
    "cities",
    "modalities",
    "conditions",
    "credential_types",
    "languages",
    "alembic_version",
}


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


def empty_tables(engine: sa.Engine) -> None:
    """Remove every row the test wrote, including the append-only audit table's."""
    tables = [name for name in sa.inspect(engine).get_table_names() if name not in REFERENCE_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Replica mode silences the append-only triggers for this transaction only.
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            quoted = ", ".join(f'"{t}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            return
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
        for _, sql in triggers:
            connection.execute(sa.text(sql))


def _has_sequence(connection) -> bool:
    return bool(
        connection.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        ).first()
    )


class SMTPServer:
    """aiosmtpd on 127.0.0.1 and a free port; `messages` holds parsed emails as they arrive."""

    def __init__(self):
        self.messages: list = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages
