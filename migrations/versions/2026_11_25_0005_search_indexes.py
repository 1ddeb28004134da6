"""search indexes: weighted full-text and trigram names on both backends

Revision ID: 0005_search_indexes
Revises: 0004_row_level_security
Create Date: 2026-11-25 15:00:00

search_documents gains the therapist's headline (for result cards) and an index on the
review count (the "most reviewed" sort).  Then each backend gets its text index:

PostgreSQL
- pg_trgm (a trusted extension: the database owner may create it).
- search_vector: a generated, stored tsvector of the three text columns weighted A / B /
  C (name and modalities; conditions, city and clinic; headline, bio and the capped
  review sample), with a GIN index: what a query matches.
- key_vector: the same for A and B only.  Small and stored inline, so ranking a large
  match set stays cheap; words found only in reviews match but do not rank.
- a GIN trigram index on the name, for misspelt names.
- search_documents' public_read policy becomes `true`: a document exists only for a
  listed therapist (unpublishing deletes it in the same transaction) and holds only public
  facts, so the per-row EXISTS on therapists bought nothing and cost every search.

SQLite
- search_fts: FTS5 over text_a, text_b, text_c (porter stemming), ranked with bm25.
- search_names: FTS5 with the trigram tokenizer over the name.
- Both are external-content tables over search_documents, kept in step by triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_search_indexes"
down_revision = "0004_row_level_security"
branch_labels = None
depends_on = None


def _weighted(column: str, weight: str) -> str:
    return f"setweight(to_tsvector('english'::regconfig, coalesce({column}, '')), '{weight}')"


SEARCH_VECTOR = " || ".join(
    [_weighted("text_a", "A"), _weighted("text_b", "B"), _weighted("text_c", "C")]
)
KEY_VECTOR = " || ".join([_weighted("text_a", "A"), _weighted("text_b", "B")])

LISTED_THERAPIST = (
    "EXISTS (SELECT 1 FROM therapists t"
    " WHERE t.id = search_documents.therapist_id AND t.clinic_id = search_documents.clinic_id"
    " AND t.is_published AND t.deleted_at IS NULL)"
)

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(text_a, text_b, text_c,"
    " content='search_documents', content_rowid='therapist_id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_names USING fts5(name,"
    " content='search_documents', content_rowid='therapist_id', tokenize='trigram')",
    """CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, text_a, text_b, text_c)
            VALUES (new.therapist_id, new.text_a, new.text_b, new.text_c);
        INSERT INTO search_names(rowid, name) VALUES (new.therapist_id, new.name);
    END""",
    """CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, text_a, text_b, text_c)
            VALUES ('delete', old.therapist_id, old.text_a, old.text_b, old.text_c);
        INSERT INTO search_names(search_names, rowid, name)
            VALUES ('delete', old.therapist_id, old.name);
    END""",
    """CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, text_a, text_b, text_c)
            VALUES ('delete', old.therapist_id, old.text_a, old.text_b, old.text_c);
        INSERT INTO search_names(search_names, rowid, name)
            VALUES ('delete', old.therapist_id, old.name);
        INSERT INTO search_fts(rowid, text_a, text_b, text_c)
            VALUES (new.therapist_id, new.text_a, new.text_b, new.text_c);
        INSERT INTO search_names(rowid, name) VALUES (new.therapist_id, new.name);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_names(search_names) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER search_documents_fts_update",
    "DROP TRIGGER search_documents_fts_delete",
    "DROP TRIGGER search_documents_fts_insert",
    "DROP TABLE search_names",
    "DROP TABLE search_fts",
]


def upgrade():
    with op.batch_alter_table("search_documents") as batch_op:
        batch_op.add_column(
            sa.Column("headline", sa.String(length=160), server_default="", nullable=False)
        )
        batch_op.create_index("ix_search_documents_rating_count", ["rating_count"])
    if op.get_bind().dialect.name != "postgresql":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "ALTER TABLE search_documents"
        f" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED,"
        f" ADD COLUMN key_vector tsvector GENERATED ALWAYS AS ({KEY_VECTOR}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_search_vector ON search_documents"
        " USING gin (search_vector)"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_name_trgm ON search_documents"
        " USING gin (name gin_trgm_ops)"
    )
    op.execute("DROP POLICY public_read ON search_documents")
    op.execute("CREATE POLICY public_read ON search_documents FOR SELECT USING (true)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY public_read ON search_documents")
        op.execute(
            f"CREATE POLICY public_read ON search_documents FOR SELECT USING ({LISTED_THERAPIST})"
        )
        op.execute("DROP INDEX ix_search_documents_name_trgm")
        op.execute("DROP INDEX ix_search_documents_search_vector")
        op.execute("ALTER TABLE search_documents DROP COLUMN key_vector, DROP COLUMN search_vector")
        # pg_trgm stays: other schemas of the database may use it.
    else:
        for statement in SQLITE_DOWN:
            op.execute(statement)
    with op.batch_alter_table("search_documents") as batch_op:
        batch_op.drop_index("ix_search_documents_rating_count")
        batch_op.drop_column("headline")
