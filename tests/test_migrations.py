"""Migrations: they round-trip on both databases and agree with the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestConfig
from directory import create_app
from directory.core.mail import queue_email
from directory.extensions import db
from directory.search.schema import include_object
from tests import support

SENT_EMAILS = "SELECT o.id, o.state, s.state FROM outbox o JOIN sent_emails s ON s.outbox_id = o.id"


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url = support.create_postgres_database()
    yield url
    support.drop_postgres_database(url)


def test_upgrade_downgrade_upgrade_round_trips(fresh_database_url, tmp_path):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url, INSTANCE_DIR=str(tmp_path)
    )
    with app.app_context():
        upgrade()
        assert db.session.scalar(sa.text("SELECT count(*) FROM cities")) > 30_000
        db.session.remove()  # end the read transaction, or the downgrade waits for its locks
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()
        assert db.session.scalar(sa.text("SELECT count(*) FROM modalities")) >= 12
        db.session.remove()
        db.engine.dispose()


def test_a_seeded_database_downgrades_to_base_and_upgrades_again(fresh_database_url, tmp_path):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url, INSTANCE_DIR=str(tmp_path)
    )
    with app.app_context():
        upgrade()
        db.session.remove()
        seed = ["seed-demo", "--clinics", "3", "--therapists", "6", "--reviews", "20", "--reindex"]
        seeded = app.test_cli_runner().invoke(args=seed)
        assert seeded.exit_code == 0, seeded.output
        assert db.session.scalar(sa.text("SELECT count(*) FROM reviews")) > 0
        queue_email("kept@example.com", "verify_account", "Kept", user={}, link="x")
        db.session.commit()  # eager: the email is sent and its claim recorded
        kept = db.session.execute(sa.text(SENT_EMAILS)).all()
        assert kept
        assert db.session.scalar(sa.text("SELECT count(*) FROM search_synonyms")) >= 40
        db.session.remove()
        assert db.session.scalar(sa.text("SELECT count(*) FROM clinic_hours")) > 0
        assert db.session.scalar(sa.text("SELECT count(*) FROM photos")) > 0  # headshots
        assert db.session.scalar(sa.text("SELECT count(*) FROM memberships")) > 0
        db.session.execute(
            sa.text(
                "INSERT INTO review_digest_items (membership_id, review_id, clinic_id, created_at)"
                " SELECT m.id, r.id, r.clinic_id, r.created_at FROM reviews r"
                " JOIN memberships m ON m.clinic_id = r.clinic_id"
            )
        )
        db.session.execute(sa.text("UPDATE memberships SET review_emails = 'daily'"))
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT count(*) FROM review_digest_items")) > 0
        db.session.remove()
        downgrade(revision="0014_account_self_service")  # the latest step, back over real rows
        assert "review_digest_items" not in sa.inspect(db.engine).get_table_names()
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns("memberships")}
        assert "review_emails" not in columns
        assert db.session.scalar(sa.text("SELECT count(*) FROM memberships")) > 0
        db.session.remove()
        downgrade(revision="0013_search_synonyms")  # the self-service step, back over real rows
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns("users")}
        assert "session_version" not in columns
        assert db.session.scalar(sa.text("SELECT count(*) FROM users")) > 0
        db.session.remove()
        downgrade(revision="0012_photos")  # the synonyms step, back over real rows
        assert "search_synonyms" not in sa.inspect(db.engine).get_table_names()
        downgrade(revision="0011_clinic_contact")  # the photos step, back over real rows
        assert "photos" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        downgrade(revision="0010_delivery_leases")
        assert db.session.scalar(sa.text("SELECT count(*) FROM reviews")) > 0
        db.session.remove()
        assert not sa.inspect(db.engine).has_table("clinic_hours")
        downgrade(revision="0009_helpful_votes")  # the delivery leases, back over real rows
        assert db.session.execute(sa.text(SENT_EMAILS)).all() == kept
        db.session.remove()
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()
        assert db.session.scalar(sa.text("SELECT count(*) FROM clinics")) == 0
        db.session.remove()
        db.engine.dispose()


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []
