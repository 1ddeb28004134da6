"""PostgreSQL: weighted tsvector + GIN, websearch_to_tsquery, pg_trgm for names."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from directory.extensions import db
from directory.search.backends.base import NameMatch, PlaceTokens
from directory.search.backends.postgresql_tables import swap_tables
from directory.search.models import SearchDocument
from directory.search.text import TextQuery
from directory.search.trigrams import NAME_MATCH

# english with accents folded (migration 0006): "montreal" finds Montréal.
ENGLISH = sa.literal_column("'english_unaccent'::regconfig")


def _vector(docs: sa.Table, name: str):
    """A generated tsvector column, declared by the migrations rather than the model."""
    return sa.literal_column(f"{docs.name}.{name}", TSVECTOR).label(name)


def _tsquery_of(places: PlaceTokens) -> str:
    """ "('@city:3' | '@city:7') & ('@cell:36:200')": tokens are quoted, so taken verbatim."""
    return " & ".join("(" + " | ".join(f"'{token}'" for token in group) + ")" for group in places)


class PostgreSQLBackend:
    name = "postgresql"

    def text_match(self, docs: sa.Table, text: TextQuery, places: PlaceTokens = ()):
        query = sa.func.websearch_to_tsquery(ENGLISH, text.websearch())
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

    def replace_live_table(self, connection: sa.Connection, live: str, shadow: str) -> None:
        swap_tables(connection, live, shadow)
