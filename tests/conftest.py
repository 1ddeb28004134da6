"""Fixtures: every test that takes `app` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade

from config import TestConfig
from directory import create_app
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.public import contact
from tests import support

DATABASES = ["sqlite", "postgresql"]
TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def still_clock_window(monkeypatch):
    """Shared profile pages are named by the five-minute window of the clock they were
    rendered in (public.contact); a test that crossed a window's end would see a stored
    page rendered again.  Tests run in one window unless they move it themselves."""
    monkeypatch.setattr(contact, "clock_window", lambda: "clock:test")


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
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=url,
        DATABASE_OWNER_URL=url,
        INSTANCE_DIR=str(instance_dir),
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session", params=DATABASES)
def migrated_database(request, tmp_path_factory):
    """A migrated database of each kind, shared by the session; tests empty it after use.

    PostgreSQL is migrated by its owner, and the app connects as a fresh application role
    (`flask db-roles create-app-role`) that row-level security binds, as in production.
    """
    instance_dir = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "sqlite":
        url = migrated(f"sqlite:///{instance_dir / 'test.sqlite3'}", instance_dir)
        yield support.MigratedDatabase(url=url, owner_url=url)
        return
    owner_url = migrated(request.getfixturevalue("postgres_url"), instance_dir)
    role, app_url = support.create_test_app_role(owner_url)
    yield support.MigratedDatabase(url=app_url, owner_url=owner_url)
    support.drop_role(owner_url, role)


@pytest.fixture(scope="session")
def database_url(migrated_database) -> str:
    """The URL the app connects with (on PostgreSQL: as the application role)."""
    return migrated_database.url


def runs_as_owner(request) -> bool:
    """The demo seed writes with COPY, which PostgreSQL refuses on tables with row-level
    security, and moves sequences with setval: its tests connect as the owner until the
    seed can run as the app role."""
    return Path(request.node.path).is_relative_to(TESTS / "demo")


@pytest.fixture
def make_app(request, migrated_database, tmp_path):
    """Build an app on the test database; settings may be overridden per test."""
    apps = []
    url = migrated_database.owner_url if runs_as_owner(request) else migrated_database.url

    def build(**overrides):
        settings = {
            "SQLALCHEMY_DATABASE_URI": url,
            "DATABASE_OWNER_URL": migrated_database.owner_url,
            "INSTANCE_DIR": str(tmp_path),
            "MAIL_URL": f"file://{tmp_path / 'mail'}",
            "BASE_URL": "http://localhost",
            **overrides,
        }
        app = create_app(TestConfig, **settings)
        support.isolate_request_scope(app)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if apps:
        support.empty_database(migrated_database.owner_url)


@pytest.fixture
def app(make_app):
    """The app, inside an app context in which the test acts for all clinics: the test
    body sets up and inspects rows of any clinic, while each request it makes runs in
    the scope production would give it (see support.isolate_request_scope)."""
    app = make_app()
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


@pytest.fixture
def redis_url() -> str:
    """The test Redis (TEST_REDIS_URL); its keys are shared by every test run."""
    url = os.environ.get("TEST_REDIS_URL", support.DEFAULT_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        support.unavailable(f"Redis is not reachable at {url}: {error}")
    return url


@pytest.fixture
def make_redis_app(make_app, redis_url):
    """Build an app with Redis: view counts and shared pages on, its keys under a prefix
    of its own (deleted afterwards); settings may be overridden per test."""
    prefix = f"test-{uuid.uuid4().hex}:"

    def build(**overrides):
        settings = {"REDIS_URL": redis_url, "REDIS_KEY_PREFIX": prefix, "SHARED_PAGE_SECONDS": 300}
        return make_app(**{**settings, **overrides})

    yield build
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def redis_app(make_redis_app):
    """`make_redis_app()`, in an app context acting for all clinics like `app`."""
    app = make_redis_app()
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, which it may stop or hang; always stopped after."""
    server = support.RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_postgres():
    """A PostgreSQL cluster of this test's own, which it may stop; removed afterwards.
    Its folder is outside pytest's (private to this user): the cluster's owner must
    reach it."""
    folder = Path(tempfile.mkdtemp(prefix="directory-test-pg-"))
    server = support.PrivatePostgres(folder)
    server.init()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


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


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run on the PostgreSQL parameter only (not skipped: absent)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and "sqlite" in callspec.params.values()
        (dropped if on_sqlite and item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
