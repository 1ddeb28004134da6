"""PostgreSQL's two roles: the owner that migrates, the application role that cannot bypass RLS.

- The owner (DATABASE_OWNER_URL) owns every table; `flask db upgrade/downgrade` and
  `flask db-roles` connect as it.
- The application role (DATABASE_URL of the web app and the workers) may read and write
  rows and nothing else: no superuser, no BYPASSRLS, owns no table, so the row-level
  security policies of migration 0004 always apply to it.  `create_app_role` makes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.pool import NullPool

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY_TABLE = "moderation_audit"
MIGRATIONS_TABLE = "alembic_version"

# Run by the owner, in order; %1$I is the application role.  Idempotent.
GRANTS = (
    "GRANT CONNECT ON DATABASE %2$I TO %1$I",
    "GRANT USAGE ON SCHEMA public TO %1$I",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %1$I",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %1$I",
    # Tables and sequences the owner creates later (the next migrations) are granted too.
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public"
    " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %1$I",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %1$I",
)
# Only where the table exists (the command may run before the first migration).
REVOKES = {
    # Its triggers refuse UPDATE and DELETE; the role may not even try, except on the one
    # column a deleted account's tombstone replaces (which the trigger checks, migration 0014).
    APPEND_ONLY_TABLE: (
        "REVOKE UPDATE, DELETE, TRUNCATE ON %2$I FROM %1$I",
        "GRANT UPDATE (actor_email) ON %2$I TO %1$I",
    ),
    # The application reads which revision it runs on; only migrations move it.
    MIGRATIONS_TABLE: ("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %2$I FROM %1$I",),
}

db_roles_cli = AppGroup("db-roles", help="PostgreSQL roles: the one the application connects as.")


class RoleRefused(Exception):
    """The named role cannot serve as the application role."""


def owner_database_url(config: Mapping[str, Any]) -> str:
    """The URL of the role that owns the tables: DATABASE_OWNER_URL, else the app's own."""
    return config.get("DATABASE_OWNER_URL") or config["SQLALCHEMY_DATABASE_URI"]


def migration_engine(config: Mapping[str, Any], app_engine: sa.Engine) -> sa.Engine:
    """The engine migrations run on: the app's own, unless DATABASE_OWNER_URL names another
    database URL (then a new, unpooled engine the caller disposes)."""
    owner_url = sa.engine.make_url(owner_database_url(config))
    if owner_url == app_engine.url:
        return app_engine
    return sa.create_engine(owner_url, poolclass=NullPool)


def create_app_role(engine: sa.Engine, name: str, password: str | None = None) -> bool:
    """Make `name` the application's role on `engine`'s database; True if it was created.

    `engine` connects as the owner.  The role gets LOGIN and NOSUPERUSER NOBYPASSRLS
    NOCREATEDB NOCREATEROLE, CONNECT on the database, USAGE on schema public, row access to
    every table and sequence now and later, and no write access to the audit log (but
    its actor_email, for tombstones) or the migration version.  A role that exists is
    brought to that state (its password kept unless a new one is given).  Idempotent and
    in one transaction.  Raises RoleRefused for a malformed name, the owner itself, a role
    that owns a relation here or is a member of the owner, and on any database but
    PostgreSQL.
    """
    if not ROLE_NAME.fullmatch(name):
        raise RoleRefused(f"{name!r} is not a plain role name (a-z, 0-9, _; 63 at most)")
    if engine.dialect.name != "postgresql":
        raise RoleRefused("application roles exist on PostgreSQL only")
    with engine.begin() as connection:
        exists = _role_exists(connection, name)
        if exists:
            _refuse_unfit_role(connection, name)
        _define_role(connection, name, password, exists=exists)
        for statement in GRANTS:
            _execute_formatted(connection, statement, name, _current_database(connection))
        for table, statements in REVOKES.items():
            if connection.scalar(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}):
                for statement in statements:
                    _execute_formatted(connection, statement, name, table)
    return not exists


def _role_exists(connection: sa.Connection, name: str) -> bool:
    query = sa.text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name)")
    return connection.scalar(query, {"name": name})


def _current_database(connection: sa.Connection) -> str:
    return connection.scalar(sa.text("SELECT current_database()"))


def _refuse_unfit_role(connection: sa.Connection, name: str) -> None:
    """An existing role must not be the owner, own a relation here, or inherit the owner's
    rights: any of those would let it alter or disable the policies."""
    if connection.scalar(sa.text("SELECT current_user")) == name:
        raise RoleRefused(f"{name} is the owner that runs this command; name another role")
    owned = connection.scalars(
        sa.text(
            "SELECT relname FROM pg_class"
            " WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = :name) ORDER BY 1"
        ),
        {"name": name},
    ).all()
    if owned:
        raise RoleRefused(f"{name} owns {', '.join(owned[:5])}; the app role must own nothing")
    if connection.scalar(
        sa.text("SELECT pg_has_role(:name, current_user, 'MEMBER')"), {"name": name}
    ):
        raise RoleRefused(f"{name} is a member of the owner role and would share its rights")


def _define_role(
    connection: sa.Connection, name: str, password: str | None, *, exists: bool
) -> None:
    """CREATE or ALTER the role with exactly the attributes the application needs.

    SUPERUSER and BYPASSRLS are only switched off when set: changing them at all needs a
    superuser, which a managed database's owner usually is not.
    """
    password_clause = " PASSWORD %2$L" if password is not None else ""
    if not exists:
        statement = (
            "CREATE ROLE %1$I WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
            " NOREPLICATION" + password_clause
        )
        _execute_formatted(connection, statement, name, password)
        return
    _execute_formatted(
        connection,
        "ALTER ROLE %1$I WITH LOGIN NOCREATEDB NOCREATEROLE" + password_clause,
        name,
        password,
    )
    privileged = connection.scalar(
        sa.text(
            "SELECT rolsuper OR rolbypassrls OR rolreplication FROM pg_roles WHERE rolname = :n"
        ),
        {"n": name},
    )
    if privileged:
        _execute_formatted(
            connection, "ALTER ROLE %1$I WITH NOSUPERUSER NOBYPASSRLS NOREPLICATION", name
        )


def _execute_formatted(connection: sa.Connection, template: str, *values: str | None) -> None:
    """Run a utility statement (which takes no bind parameters) built by PostgreSQL's own
    format(): %I quotes an identifier, %L a literal, so no value is pasted in unquoted."""
    names = [f"v{index}" for index in range(len(values))]
    arguments = "".join(f", CAST(:{name} AS text)" for name in names)
    build = sa.text(f"SELECT format(CAST(:template AS text){arguments})")
    parameters = {"template": template, **dict(zip(names, values, strict=True))}
    statement = connection.scalar(build, parameters)
    connection.exec_driver_sql(statement)


@db_roles_cli.command("create-app-role")
@click.argument("name")
@click.option("--password", default=None, help="Set (or change) the role's password.")
def create_app_role_command(name: str, password: str | None) -> None:
    """Create or update NAME, the role the app and workers connect as (DATABASE_URL).

    Connects with DATABASE_OWNER_URL; run it after `flask db upgrade`.
    """
    engine = sa.create_engine(owner_database_url(current_app.config), poolclass=NullPool)
    try:
        created = create_app_role(engine, name, password)
        database = engine.url.database
    except RoleRefused as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()
    click.echo(f"{'Created' if created else 'Updated'} role {name} on database {database}:")
    click.echo("  LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE, owns no table;")
    click.echo("  may read and write rows, never rewrite the audit log.")
    click.echo(f"Point DATABASE_URL at it, e.g. postgresql://{name}:…@host/{database}")
