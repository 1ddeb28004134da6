"""Writing many rows fast: COPY on PostgreSQL, batched executemany on SQLite.

Rows are plain tuples in a declared column order, so generating them costs no ORM
objects.  Everything goes through the caller's connection, inside its transaction: if the
seed fails half-way, nothing of it remains.  A background thread does the PostgreSQL
writing, so the database and the generator work at the same time.
"""

from __future__ import annotations

import queue
import threading

import sqlalchemy as sa
from psycopg import sql

# (table, column names, rows as tuples in that column order)
TableRows = tuple[str, tuple[str, ...], list[tuple]]


class IdAllocator:
    """Primary keys chosen by the seed, above the highest already in each table.

    Choosing ids in Python lets child rows reference parents without a round trip; the
    PostgreSQL sequences are moved past them afterwards (see `BulkWriter.reset_sequences`).
    """

    def __init__(self, connection: sa.Connection, tables: tuple[str, ...]) -> None:
        self._next: dict[str, int] = {}
        for table in tables:
            # Table names come from the seed's own constants, never from input.
            highest = connection.scalar(sa.text(f"SELECT max(id) FROM {table}"))
            self._next[table] = (highest or 0) + 1

    def next(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


class BulkWriter:
    """Appends rows to tables on the given connection, in its transaction.

    On PostgreSQL the COPYs run in one background thread while the caller builds the next
    batch, so the database's work (index updates, foreign-key checks) overlaps Python's;
    at most `QUEUED_BATCHES` batches wait, which bounds memory.  Call `wait()` before using
    the connection for anything else, and `close()` when done, also after a failure.
    """

    QUEUED_BATCHES = 2

    def __init__(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        self.connection = connection
        self.metadata = metadata
        self.is_postgresql = connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}
        self._queue: queue.Queue[list[TableRows] | None] = queue.Queue(self.QUEUED_BATCHES)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, tables: list[TableRows]) -> None:
        """Insert each table's rows, in the order given, or queue them to be.

        Raises the error of an earlier queued write, if one failed.
        """
        self._raise_queued_error()
        for table, _, rows in tables:
            self.counts[table] = self.counts.get(table, 0) + len(rows)
        if not self.is_postgresql:
            for table, columns, rows in tables:
                # Through the Table, so UTCDateTime and the other column types convert
                # values exactly as the application's own inserts do.
                self.connection.execute(
                    self.metadata.tables[table].insert(),
                    [dict(zip(columns, row, strict=True)) for row in rows],
                )
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._copy_queued, daemon=True)
            self._thread.start()
        self._queue.put(tables)

    def wait(self) -> None:
        """Return once every queued row is written; raises the error of a failed write."""
        if self._thread is not None:
            self._queue.join()
        self._raise_queued_error()

    def close(self) -> None:
        """Stop the background thread (after the writes already queued)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _raise_queued_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _copy_queued(self) -> None:
        while (tables := self._queue.get()) is not None:
            try:
                # After a failure the transaction is aborted: skip the rest, keep draining.
                if self._error is None:
                    for table, columns, rows in tables:
                        self._copy(table, columns, rows)
            except BaseException as error:  # handed to the caller's thread by wait()/write()
                self._error = error
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def reset_sequences(self, tables: tuple[str, ...]) -> None:
        """Move each table's id sequence past the ids the seed chose (PostgreSQL only)."""
        self.wait()
        if not self.is_postgresql:
            return  # SQLite's rowid allocation already continues from the highest id
        for table in tables:
            self.connection.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence(:table, 'id'),"
                    f" COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                ),
                {"table": table},
            )


class RowBatch:
    """Rows waiting to be written, per table, flushed in foreign-key order."""

    def __init__(self, tables: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.tables = tables
        self.rows: dict[str, list[tuple]] = {name: [] for name, _ in tables}

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def size(self, table: str) -> int:
        return len(self.rows[table])

    def flush(self, writer: BulkWriter) -> None:
        """Hand everything held to `writer`, parents before children, and start empty."""
        tables = [
            (name, columns, self.rows[name]) for name, columns in self.tables if self.rows[name]
        ]
        if tables:
            writer.write(tables)
        self.rows = {name: [] for name, _ in self.tables}
