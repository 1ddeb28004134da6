"""Fixtures: every test that takes `app` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade

from config import TestConfig
from directory import create_app
from directory.extensions import db
from tests import support

DATABASES = ["sqlite", "postgresql"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this run (TEST_DATABASE_URL names one to use instead)."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    url = support.create_postgres_database()
    yield url
    support.drop_postgres_database(url)


def migrated(url: str, instance_dir: Path) -> str:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_DIR=str(instance_dir))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    """A migrated database of each kind, shared by the session; tests empty it after use."""
    instance_dir = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "sqlite":
        return migrated(f"sqlite:///{instance_dir / 'test.sqlite3'}", instance_dir)
    return migrated(request.getfixturevalue("postgres_url"), instance_dir)


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database; settings may be overridden per test."""
    apps = []

    def build(**overrides):
        settings = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_URL": f"file://{tmp_path / 'mail'}",
            "BASE_URL": "http://localhost",
            **overrides,
        }
        app = create_app(TestConfig, **settings)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if apps:
        with apps[0].app_context():
            support.empty_tables(db.engine)
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mail_folder(app) -> Path:
    return Path(app.config["MAIL_URL"].removeprefix("file://"))


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    server = support.SMTPServer()
    server.start()
    yield server
    server.stop()
