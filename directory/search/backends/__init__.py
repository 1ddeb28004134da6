"""One search interface, two engines: PostgreSQL full-text and SQLite FTS5.

A backend supplies only what differs between the databases: how words match, which names
look like a misspelt one, how facet ids are counted, how a document's values are joined
into one string, and each step of a full reindex that differs (acting for every clinic,
creating, filling and finishing the shadow table, holding writers, replacing the live
table and settling it).  Everything else is written once: the search in
directory.search.engine and the modules it runs (filters, facets, ranking, paging), the
documents in directory.search.documents and the reindex in directory.search.reindex.
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
