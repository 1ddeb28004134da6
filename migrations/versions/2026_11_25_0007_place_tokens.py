"""place tokens in the search vector: text searches narrowed to a place use the GIN index

Revision ID: 0007_place_tokens
Revises: 0006_unaccented_search
Create Date: 2026-11-25 17:50:00

search_vector gains two lexemes per document, written verbatim by array_to_tsvector:
"@city:<city id>" and "@cell:<floor(latitude * 2)>:<floor(longitude * 2)>" (half-degree
map cells).  A text search in a city or within a distance adds the place's tokens to its
tsquery, and the GIN index intersects their short posting lists with the words' long ones
(directory.search.place_tokens).  PostgreSQL 15 cannot change a generated column's
expression, so the column and its index are dropped and added again.  A no-op on SQLite.
"""

from alembic import op

revision = "0007_place_tokens"
down_revision = "0006_unaccented_search"
branch_labels = None
depends_on = None

WORDS = " || ".join(
    f"setweight(to_tsvector('english_unaccent'::regconfig, coalesce({column}, '')), '{weight}')"
    for column, weight in (("text_a", "A"), ("text_b", "B"), ("text_c", "C"))
)
PLACES = (
    "array_to_tsvector(ARRAY["
    "'@city:' || city_id::text, "
    "'@cell:' || floor(latitude * 2)::int::text || ':' || floor(longitude * 2)::int::text"
    "])"
)


def _rebuild_search_vector(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_documents_search_vector")
    op.execute("ALTER TABLE search_documents DROP COLUMN search_vector")
    op.execute(
        "ALTER TABLE search_documents"
        f" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_search_vector ON search_documents"
        " USING gin (search_vector)"
    )


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild_search_vector(f"{WORDS} || {PLACES}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild_search_vector(WORDS)
