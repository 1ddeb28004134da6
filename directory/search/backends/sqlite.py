"""SQLite: FTS5 with bm25 for words, an FTS5 trigram table for names."""

from __future__ import annotations

import sqlalchemy as sa

from directory.extensions import db
from directory.search.backends.base import NameMatch
from directory.search.text import words_of
from directory.search.trigrams import NAME_MATCH, similarity

# bm25 column weights for text_a, text_b, text_c: names and modalities count most.
BM25_WEIGHTS = "10.0, 4.0, 1.0"
NAME_CANDIDATES = 200

search_fts = sa.table("search_fts", sa.column("rowid", sa.Integer))
search_names = sa.table("search_names", sa.column("rowid", sa.Integer), sa.column("name"))


def _matches(table: sa.TableClause, query: str):
    return sa.literal_column(table.name).op("MATCH")(query)


class SQLiteBackend:
    name = "sqlite"

    def text_match(self, docs: sa.Table, text):
        query = text.fts5()
        matching = sa.select(search_fts.c.rowid).where(_matches(search_fts, query))
        rank = (
            sa.select(-sa.literal_column(f"bm25(search_fts, {BM25_WEIGHTS})"))
            .where(_matches(search_fts, query), search_fts.c.rowid == docs.c.therapist_id)
            .scalar_subquery()
        )
        return docs.c.therapist_id.in_(matching), rank

    def similar_names(self, text: str, limit: int) -> list[NameMatch]:
        grams = {word[i : i + 3] for word in words_of(text) for i in range(max(0, len(word) - 2))}
        if not grams:
            return []
        query = " OR ".join(f'"{gram}"' for gram in sorted(grams))
        rows = db.session.execute(
            sa.select(search_names.c.rowid, search_names.c.name)
            .where(_matches(search_names, query))
            .order_by(sa.literal_column("rank"))
            .limit(NAME_CANDIDATES)
        )
        scored = [NameMatch(row[0], row[1], similarity(row[1], text)) for row in rows]
        scored = [m for m in scored if m.similarity >= NAME_MATCH]
        scored.sort(key=lambda m: (-m.similarity, m.therapist_id))
        return scored[:limit]

    def distance_km(self, docs: sa.Table, latitude: float, longitude: float):
        return sa.func.haversine_km(latitude, longitude, docs.c.latitude, docs.c.longitude)

    def replace_live_table(self, connection: sa.Connection, live: str, shadow: str) -> None:
        # Readers keep their snapshot (WAL) until this one transaction commits; the FTS
        # triggers follow the rows.
        connection.exec_driver_sql(f"DELETE FROM {live}")
        connection.exec_driver_sql(f"INSERT INTO {live} SELECT * FROM {shadow}")
        connection.exec_driver_sql(f"DROP TABLE {shadow}")
