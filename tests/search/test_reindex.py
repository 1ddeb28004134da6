"""The full reindex: every document rebuilt into a shadow table that replaces the live one,
while search goes on answering and the worker goes on writing (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.pool import NullPool

from directory.extensions import db
from directory.search import reindex
from directory.search.models import SearchDocument
from directory.search.schema import include_object
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.search.conftest import run, slugs
from tests.search.fixtures import build_directory, listed_rows

LIVE = SearchDocument.__table__.name
LISTED = len(listed_rows())


def documents() -> dict[int, dict]:
    """Every document's content, without its version and build time."""
    db.session.expire_all()
    rows = db.session.execute(sa.select(SearchDocument.__table__)).mappings()
    return {
        row["therapist_id"]: {k: v for k, v in row.items() if k not in ("version", "updated_at")}
        for row in rows
    }


def versions() -> dict[int, int]:
    rows = db.session.execute(sa.select(SearchDocument.therapist_id, SearchDocument.version))
    return {therapist_id: version for therapist_id, version in rows}


def owner_engine(app) -> sa.Engine:
    return sa.create_engine(app.config["DATABASE_OWNER_URL"], poolclass=NullPool)


POSTGRESQL_CATALOGUE = {
    "table": "SELECT relkind, relpersistence, pg_get_userbyid(relowner), relrowsecurity,"
    " relforcerowsecurity FROM pg_class WHERE oid = CAST(:table AS regclass)",
    "columns": "SELECT ordinal_position, column_name, data_type, character_maximum_length,"
    " is_nullable, column_default, is_generated, generation_expression"
    " FROM information_schema.columns WHERE table_name = :table ORDER BY ordinal_position",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :table"
    " ORDER BY indexname",
    "constraints": "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = CAST(:table AS regclass) ORDER BY conname",
    "policies": "SELECT policyname, permissive, CAST(roles AS text), cmd, qual, with_check"
    " FROM pg_policies WHERE tablename = :table ORDER BY policyname",
    "grants": "SELECT DISTINCT grantee, privilege_type FROM information_schema.role_table_grants"
    " WHERE table_name = :table ORDER BY grantee, privilege_type",
    "triggers": "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:table AS regclass)"
    " AND NOT tgisinternal ORDER BY tgname",
    "leftovers": "SELECT relname FROM pg_class WHERE relname LIKE :table || '%' ORDER BY relname",
}


def catalogue(app) -> dict[str, list]:
    """What the database says about the search table: as its owner sees it on PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
                " WHERE name LIKE 'search%' OR tbl_name LIKE 'search%' ORDER BY type, name"
            ).all()
        return {"sqlite_master": [tuple(row) for row in rows]}
    engine = owner_engine(app)
    try:
        with engine.connect() as connection:
            return {
                name: [tuple(row) for row in connection.execute(sa.text(sql), {"table": LIVE})]
                for name, sql in POSTGRESQL_CATALOGUE.items()
            }
    finally:
        engine.dispose()


def test_the_reindex_command_rebuilds_every_document(app, runner):
    built = build_directory()
    expected = documents()
    assert len(expected) == LISTED
    before = versions()
    # Damage the index: documents lost, one gone stale, one left behind for a therapist
    # unlisted behind the services' back.
    lost = [built.therapist_ids["Hiro Tanaka"], built.therapist_ids["Mei Chen"]]
    db.session.execute(sa.delete(SearchDocument).where(SearchDocument.therapist_id.in_(lost)))
    john = built.therapist_ids["John Wintertime"]
    db.session.execute(
        sa.update(SearchDocument).where(SearchDocument.therapist_id == john).values(name="Stale")
    )
    olivia = built.therapist_ids["Olivia Brooks"]
    db.session.execute(
        sa.update(Therapist).where(Therapist.id == olivia).values(is_published=False)
    )
    db.session.commit()

    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert f"Rebuilt {LISTED - 1} search documents" in result.output

    del expected[olivia]
    assert documents() == expected
    assert all(version > before[key] for key, version in versions().items())
    assert slugs(run(q="jon wintertime"))[:1] == ["john-wintertime"]
    assert slugs(run(q="upper back pain thai massage")) == ["john-wintertime"]
    assert run(q="olivia brooks").total == 0
    assert run().total == LISTED - 1


def test_the_swap_leaves_the_table_as_the_migrations_made_it(app, runner):
    build_directory()
    before = catalogue(app)
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0  # and again
    after = catalogue(app)
    assert after == before
    if db.engine.dialect.name == "postgresql":
        indexes = dict(after["indexes"])
        assert "USING gin (search_vector)" in indexes["ix_search_documents_search_vector"]
        assert "gin_trgm_ops" in indexes["ix_search_documents_name_trgm"]
        assert {row[1] for row in after["columns"][-2:]} == {"search_vector", "key_vector"}
        assert after["table"] == [("r", "p", after["table"][0][2], True, True)]
        assert after["policies"] and after["grants"]
        assert [name for (name,) in after["leftovers"]] == [LIVE]
    # The text indexes answer (FTS5 tables follow the rows on SQLite).
    assert slugs(run(q="desk")) == ["john-wintertime"]
    assert slugs(run(q="sarah lindqvst"))[:1] == ["sarah-lindqvist"]
    # And the models still agree with the schema the migrations (and the swap) made.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, db.metadata) == []


def test_changes_made_during_the_fill_survive_the_swap(app):
    built = build_directory()
    draft = built.therapist_ids["Anna Wintertime"]
    seen: dict[str, int] = {}

    def meanwhile(done: int) -> None:
        """After the first range is in the shadow, the worker keeps writing to the live table."""
        if seen:
            return
        # The therapist ending the finished range: its shadow copy is already built.
        edited = db.session.get(Therapist, done)
        name = f"{edited.name} Edited"
        therapists.update_therapist(edited, _profile_of(edited, name))
        unlisted = db.session.get(Therapist, _listed_id_before(done))
        therapists.unpublish(unlisted)
        therapists.publish(db.session.get(Therapist, draft))  # no range holds her
        db.session.commit()  # the eager worker rebuilds the edited and published documents
        seen.update(edited=done, unlisted=unlisted.id, version=versions()[done])
        seen["name"] = name
        db.session.remove()

    report = reindex.rebuild_all(batch_size=4, progress=meanwhile)
    assert seen, "the fill never reported progress"
    after = documents()
    assert after[seen["edited"]]["name"] == seen["name"]
    assert versions()[seen["edited"]] == seen["version"]  # the worker's newer document
    assert seen["unlisted"] not in after  # not resurrected from the shadow
    assert draft in after  # published meanwhile, carried over
    assert len(after) == LISTED
    assert report.documents == LISTED  # what the fill built, before the catch-up
    assert slugs(run(q="anna wintertime"))[:1] == ["anna-wintertime"]
    assert run(q=db.session.get(Therapist, seen["unlisted"]).name).total == 0


def test_search_answers_from_the_live_table_during_the_fill(app):
    build_directory()
    answers = []

    def meanwhile(done: int) -> None:
        answers.append(
            (
                run().total,
                tuple(slugs(run(q="jon wintertime"))[:1]),
                tuple(slugs(run(q="upper back pain thai massage"))),
            )
        )
        db.session.remove()  # a request ends: nothing held open against the swap

    reindex.rebuild_all(batch_size=5, progress=meanwhile)
    assert len(answers) == 4  # 18 therapists, 5 a range
    assert set(answers) == {(LISTED, ("john-wintertime",), ("john-wintertime",))}
    assert run().total == LISTED


def test_an_empty_directory_reindexes_to_nothing(app, runner):
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Rebuilt 0 search documents" in result.output
    assert run().total == 0


def _profile_of(therapist: Therapist, name: str) -> therapists.TherapistProfile:
    return therapists.TherapistProfile(
        name=name,
        headline=therapist.headline,
        bio=therapist.bio,
        accepting_new_clients=therapist.accepting_new_clients,
        modality_ids=[m.id for m in therapist.modalities],
        condition_ids=[c.id for c in therapist.conditions],
        language_codes=[lang.code for lang in therapist.languages],
    )


def _listed_id_before(therapist_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.max(Therapist.id)).where(
            Therapist.id < therapist_id, Therapist.is_published.is_(True)
        )
    )
