"""SQLite: FTS5 with bm25 for words, an FTS5 trigram table for names."""

from __future__ import annotations

import sqlalchemy as sa

from directory.extensions import db
from directory.search.backends.base import NameMatch, PlaceTokens
from directory.search.text import words_of
from directory.search.trigrams import NAME_MATCH, similarity

# The name, specialties, conditions, city and clinic: a match there ranks first.
KEY_COLUMNS = ("text_a", "text_b")
NAME_CANDIDATES = 200

search_fts = sa.table("search_fts", sa.column("rowid", sa.Integer))
search_names = sa.table("search_names", sa.column("rowid", sa.Integer), sa.column("name"))


def _matches(table: sa.TableClause, query: str):
    return sa.literal_column(table.name).op("MATCH")(query)


class SQLiteBackend:
    name = "sqlite"

    def text_match(self, docs: sa.Table, text, places: PlaceTokens = ()):
        # The place filters alone narrow well enough here: `places` is not needed.
        query = text.fts5()
        anywhere = sa.select(search_fts.c.rowid).where(_matches(search_fts, query))
        in_key_fields = sa.select(search_fts.c.rowid).where(
            _matches(search_fts, f"{{{' '.join(KEY_COLUMNS)}}} : ({query})")
        )
        return docs.c.therapist_id.in_(anywhere), docs.c.therapist_id.in_(in_key_fields)

    def vector_columns(self, docs: sa.Table) -> list:
        return []  # the FTS5 tables are joined by rowid

    def id_counts(self, column) -> sa.Select:
        # " 3 7 " -> the JSON array [3,7], expanded by json_each.
        as_json = "[" + sa.func.replace(sa.func.trim(column), " ", ",") + "]"
        values = sa.func.json_each(as_json).table_valued("value")
        return (
            sa.select(sa.cast(values.c.value, sa.String).label("key"), sa.func.count().label("n"))
            .join_from(column.table, values, sa.true())
            .group_by(values.c.value)
        )

    def similar_names(self, text: str, limit: int) -> list[NameMatch]:
        words = words_of(text)
        if not words:
            return []
        # Every window of three characters, the spaces between and around the words
        # included: a short word ("Ng", "Li") has no window of its own, but " ng" or "li "
        # find it inside a name, as pg_trgm's padded trigrams do.
        spaced = f" {' '.join(words)} "
        grams = {spaced[i : i + 3] for i in range(len(spaced) - 2)}
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

    def joined(self, expression, separator: str = " "):
        return sa.func.group_concat(expression, separator)

    def act_for_all_clinics(self, connection: sa.Connection) -> None:
        pass  # no row-level security

    def create_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {shadow}")
        connection.exec_driver_sql(f"CREATE TABLE {shadow} AS SELECT * FROM {live} WHERE 0")

    def fill_connections(self) -> int:
        return 1  # one writer at a time

    def finish_shadow(self, connection: sa.Connection, live: str, shadow: str) -> None:
        pass  # the rows are copied into the live table itself, which keeps its indexes

    def hold_writers(self, connection: sa.Connection, live: str) -> None:
        pass  # the swap's first write takes the database's one write lock until its commit

    def replace_live_table(self, connection: sa.Connection, live: str, shadow: str) -> None:
        # Readers keep their snapshot (WAL) until this one transaction commits; the FTS
        # triggers follow the rows.
        connection.exec_driver_sql(f"DELETE FROM {live}")
        connection.exec_driver_sql(f"INSERT INTO {live} SELECT * FROM {shadow}")
        connection.exec_driver_sql(f"DROP TABLE {shadow}")

    def after_swap(self, engine: sa.Engine, live: str) -> None:
        pass  # the live table was never replaced, only refilled
