"""One search interface, two engines: PostgreSQL full-text and SQLite FTS5.

A backend supplies only what differs between the databases: how words match and rank,
which names look like a misspelt one, how far a document is from a point, and how a
freshly built table replaces the live one.  Everything else (filters, facets, sorting,
paging) is written once in directory.search.engine and the modules it runs.
"""

from __future__ import annotations

from directory.extensions import db
from directory.search.backends.base import NameMatch, SearchBackend
from directory.search.backends.postgresql import PostgreSQLBackend
from directory.search.backends.sqlite import SQLiteBackend

__all__ = ["NameMatch", "SearchBackend", "backend_for", "current_backend"]


def backend_for(dialect: str) -> SearchBackend:
    return PostgreSQLBackend() if dialect == "postgresql" else SQLiteBackend()


def current_backend() -> SearchBackend:
    return backend_for(db.session.get_bind().dialect.name)
