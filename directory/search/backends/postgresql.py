"""PostgreSQL: weighted tsvector + GIN, websearch_to_tsquery, pg_trgm for names."""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from directory.extensions import db
from directory.search.backends import postgresql_tables
from directory.search.backends.base import NameMatch, PlaceTokens
from directory.search.models import SearchDocument
from directory.search.text import TextQuery
from directory.search.trigrams import NAME_MATCH

# english with accents folded (migration 0006): "montreal" finds Montréal.
ENGLISH = sa.literal_column("'english_unaccent'::regconfig")
# Connections filling a reindex's shadow at once: half the cores, so that a live site
# reindexing keeps the other half for its searches (REINDEX_CONNECTIONS overrides).
FILL_CONNECTIONS = int(os.environ.get("REINDEX_CONNECTIONS", max(1, (os.cpu_count() or 2) // 2)))


def _vector(docs: sa.Table, name: str):
    """A generated tsvector column, declared by the migrations rather than the model."""
    return sa.literal_column(f"{docs.name}.{name}", TSVECTOR).label(name)


def _tsquery_of(places: PlaceTokens) -> str:
    """ "('@city:3' | '@city:7') & ('@cell:36:200')": tokens are quoted, so taken verbatim."""
    return " & ".join("(" + " | ".join(f"'{token}'" for token in group) + ")" for group in places)


def _tsquery(text: TextQuery):
    """The words as a tsquery: the plain words, and each expansion as an OR-group of its
    ways to match ("(pregnancy | prenatal | pregnant) & massage"), joined by &&."""
    parts = [sa.func.websearch_to_tsquery(ENGLISH, text.websearch())] if text.websearch() else []
    for expansion in text.expansions:
        ways = [sa.func.websearch_to_tsquery(ENGLISH, way) for way in expansion.websearch_parts()]
        group = ways[0]
        for way in ways[1:]:
            group = group.op("||")(way)
        parts.append(group)
    query = parts[0]
    for part in parts[1:]:
        query = query.op("&&")(part)
    return query


class PostgreSQLBackend:
    name = "postgresql"

    def text_match(self, docs: sa.Table, text: TextQuery, places: PlaceTokens = ()):
        query = _tsquery(text)
        search_vector, key_vector = _vector(docs, "search_vector"), _vector(docs, "key_vector")
        matches = "@@"
        anywhere = query
        if places:
            # The place tokens are in search_vector (migration 0007), not in key_vector.
            anywhere = query.op("&&")(sa.cast(_tsquery_of(places), TSQUERY))
        return (
            search_vector.op(matches, is_comparison=True)(anywhere),
            key_vector.op(matches, is_comparison=True)(query),
        )

    def vector_columns(self, docs: sa.Table) -> list:
        return [_vector(docs, "search_vector"), _vector(docs, "key_vector")]

    def id_counts(self, column) -> sa.Select:
        value = sa.func.unnest(sa.func.string_to_array(sa.func.btrim(column), " ")).label("key")
        return sa.select(value, sa.func.count().label("n")).group_by(sa.text("1"))

    def similar_names(self, text: str, limit: int) -> list[NameMatch]:
        score = sa.func.similarity(SearchDocument.name, text).label("score")
        rows = db.session.execute(
            sa.select(SearchDocument.therapist_id, SearchDocument.name, score)
            .where(SearchDocument.name.op("%")(text))  # the trigram index, at 0.3
            .order_by(score.desc(), SearchDocument.therapist_id)
            .limit(limit)
        )
        return [NameMatch(*row) for row in rows if row.score >= NAME_MATCH]

    def joined(self, expression, separator: str = " "):
        return sa.func.string_agg(expression, separator)

    def act_for_all_clinics(self, connection: sa.Connection) -> None:
        # The owner is bound by the forced row-level security too; this connection is its own.
        connection.exec_driver_sql("SELECT set_config('app.all_clinics', 'on', false)")
        connection.commit()

    def create_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        postgresql_tables.create_bare_shadow(connection, live, shadow)

    def fill_connections(self) -> int:
        # Turning text into tsvectors is most of a reindex's work and is CPU-bound in the
        # database, so several connections make the rebuild fast; FILL_CONNECTIONS says how
        # many it may take from a live site.
        return FILL_CONNECTIONS

    def finish_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        postgresql_tables.finish_shadow(connection, live, shadow)
        connection.commit()

    def hold_writers(self, connection: sa.Connection, live: str) -> None:
        # Readers go on; writers (the worker) wait the few milliseconds the swap takes.
        connection.exec_driver_sql(f"LOCK TABLE {live} IN SHARE ROW EXCLUSIVE MODE")

    def replace_live_table(self, connection: sa.Connection, live: str, shadow: str) -> None:
        postgresql_tables.swap_tables(connection, live, shadow)

    def after_swap(self, engine: sa.Engine, live: str) -> None:
        # A fresh table has no visibility map: until vacuumed, counting matches must
        # visit every matching row instead of answering from the indexes.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as vacuum:
            vacuum.exec_driver_sql(f"VACUUM (ANALYZE) {live}")
