"""The search objects each backend keeps outside the SQLAlchemy model.

They are created by migration 0005 and, on PostgreSQL, copied onto the shadow table of a
full reindex.  The model does not declare them (SQLAlchemy has no FTS5 tables, and the
generated tsvector columns are PostgreSQL only), so the model/migration comparison is
told to leave them alone.
"""

from __future__ import annotations

# PostgreSQL: generated columns on search_documents and their indexes.
POSTGRESQL_COLUMNS = frozenset({"search_vector", "key_vector"})
POSTGRESQL_INDEXES = frozenset(
    {"ix_search_documents_search_vector", "ix_search_documents_name_trgm"}
)
# SQLite: FTS5 virtual tables over search_documents (and FTS5's own shadow tables).
SQLITE_TABLE_PREFIXES = ("search_fts", "search_names")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook: skip the backend-only search objects."""
    if type_ == "column" and name in POSTGRESQL_COLUMNS:
        return False
    if type_ == "index" and name in POSTGRESQL_INDEXES:
        return False
    return not (type_ == "table" and name.startswith(SQLITE_TABLE_PREFIXES))
