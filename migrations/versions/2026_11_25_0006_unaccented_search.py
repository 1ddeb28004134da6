"""search without accents on PostgreSQL: "montreal" finds Montréal

Revision ID: 0006_unaccented_search
Revises: 0005_search_indexes
Create Date: 2026-11-25 16:00:00

People type city and therapist names without their accents.  SQLite's FTS5 tokenizer
already folds them (remove_diacritics); PostgreSQL gets the same through a text search
configuration, english_unaccent: the english one with the unaccent dictionary before
the stemmer.  The generated tsvector columns are rebuilt with it (PostgreSQL 15 cannot
change a generated column's expression, so they are dropped and added again, and their
index with them).  A no-op on SQLite.
"""

from alembic import op

revision = "0006_unaccented_search"
down_revision = "0005_search_indexes"
branch_labels = None
depends_on = None

TEXT_COLUMNS = (("text_a", "A"), ("text_b", "B"), ("text_c", "C"))


def _vector(config: str, columns) -> str:
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in columns
    )


def _rebuild_vectors(config: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_search_documents_search_vector")
    op.execute("ALTER TABLE search_documents DROP COLUMN key_vector, DROP COLUMN search_vector")
    op.execute(
        "ALTER TABLE search_documents"
        f" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_vector(config, TEXT_COLUMNS)})"
        " STORED,"
        f" ADD COLUMN key_vector tsvector GENERATED ALWAYS AS ({_vector(config, TEXT_COLUMNS[:2])})"
        " STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_search_vector ON search_documents"
        " USING gin (search_vector)"
    )


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION english_unaccent"
        " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    _rebuild_vectors("english_unaccent")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild_vectors("english")
    op.execute("DROP TEXT SEARCH CONFIGURATION english_unaccent")
    # unaccent stays: other schemas of the database may use it.
