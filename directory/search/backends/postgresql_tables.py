"""Building a table beside the live one and swapping it in, on PostgreSQL.

The shadow starts as a bare copy of the live table's columns (generated columns included)
so the bulk load writes no index entries; `finish_shadow` then gives it everything the
live table has, read from the catalogue rather than written out again: indexes,
constraints, row-level security and its policies, and grants.  Each object is created
under a temporary "<name>_next" name where names must be unique, and renamed back to the
live name once the old table is gone, so the schema after a swap is exactly what the
migrations made.
"""

from __future__ import annotations

import sqlalchemy as sa

SUFFIX = "_next"


def create_bare_shadow(connection: sa.Connection, live: str, shadow: str) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {shadow}")
    connection.exec_driver_sql(
        f"CREATE TABLE {shadow} (LIKE {live} INCLUDING DEFAULTS INCLUDING GENERATED"
        " INCLUDING CONSTRAINTS)"
    )


def _rows(connection: sa.Connection, sql: str, table: str):
    return connection.execute(sa.text(sql), {"table": table}).all()


def finish_shadow(connection: sa.Connection, live: str, shadow: str) -> None:
    """Give the loaded shadow the live table's indexes, keys, policies and grants."""
    # Index builds sort in memory when they may; the default 64 MB spills the GIN build.
    connection.exec_driver_sql("SET maintenance_work_mem = '256MB'")
    constraints = _rows(
        connection,
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u', 'f', 'x')"
        " ORDER BY contype DESC, conname",
        live,
    )
    backing = {name for name, kind, _ in constraints if kind in "pux"}
    for name, kind, definition in constraints:
        new_name = name + SUFFIX if kind in "pux" else name
        connection.exec_driver_sql(f"ALTER TABLE {shadow} ADD CONSTRAINT {new_name} {definition}")
    indexes = _rows(
        connection,
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :table",
        live,
    )
    for name, definition in indexes:
        if name in backing:
            continue
        head, _, tail = definition.partition(f" ON public.{live} ")
        head = head.replace(f"INDEX {name}", f"INDEX {name}{SUFFIX}", 1)
        connection.exec_driver_sql(f"{head} ON public.{shadow} {tail}")
    security = connection.execute(
        sa.text(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE oid = CAST(:table AS regclass)"
        ),
        {"table": live},
    ).one()
    if security[0]:
        connection.exec_driver_sql(f"ALTER TABLE {shadow} ENABLE ROW LEVEL SECURITY")
    if security[1]:
        connection.exec_driver_sql(f"ALTER TABLE {shadow} FORCE ROW LEVEL SECURITY")
    policies = _rows(
        connection,
        "SELECT policyname, permissive, array_to_string(roles, ', '), cmd, qual, with_check"
        " FROM pg_policies WHERE tablename = :table",
        live,
    )
    for name, permissive, roles, command, using, check in policies:
        sql = f"CREATE POLICY {name} ON {shadow} AS {permissive} FOR {command} TO {roles}"
        if using:
            sql += f" USING ({using.replace(live + '.', shadow + '.')})"
        if check:
            sql += f" WITH CHECK ({check.replace(live + '.', shadow + '.')})"
        connection.exec_driver_sql(sql)
    grants = _rows(
        connection,
        "SELECT grantee, privilege_type FROM information_schema.role_table_grants"
        " WHERE table_name = :table AND grantee <> current_user",
        live,
    )
    for grantee, privilege in grants:
        connection.exec_driver_sql(f'GRANT {privilege} ON {shadow} TO "{grantee}"')
    connection.exec_driver_sql(f"ANALYZE {shadow}")


def swap_tables(connection: sa.Connection, live: str, shadow: str) -> None:
    """Inside the caller's transaction: drop the live table, put the shadow in its place."""
    renamed = _rows(
        connection,
        "SELECT relname FROM pg_class WHERE relkind = 'i' AND oid IN"
        " (SELECT indexrelid FROM pg_index WHERE indrelid = CAST(:table AS regclass))",
        shadow,
    )
    constraints = _rows(
        connection,
        "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:table AS regclass)"
        " AND contype IN ('p', 'u', 'x')",
        shadow,
    )
    connection.exec_driver_sql(f"DROP TABLE {live}")
    connection.exec_driver_sql(f"ALTER TABLE {shadow} RENAME TO {live}")
    constraint_names = {name for (name,) in constraints}
    for (name,) in renamed:
        if not name.endswith(SUFFIX):
            continue
        if name in constraint_names:
            connection.exec_driver_sql(
                f"ALTER TABLE {live} RENAME CONSTRAINT {name} TO {name[: -len(SUFFIX)]}"
            )
        else:
            connection.exec_driver_sql(f"ALTER INDEX {name} RENAME TO {name[: -len(SUFFIX)]}")
