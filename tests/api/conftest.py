"""API fixtures: the small directory of tests/api/data.py, built once per module and backend.

The API only reads, so the tests of a module share one directory, built inside an app
context of its own and emptied when the module is done.  A module that uses `directory`
must not also use `app` (whose teardown empties the database under the shared data).
"""

from __future__ import annotations

import pytest

from config import TestConfig
from directory import create_app
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.therapists.models import Therapist
from tests import support
from tests.api import data


@pytest.fixture(scope="module")
def _built(migrated_database, tmp_path_factory):
    instance = tmp_path_factory.mktemp("api-directory")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=migrated_database.url,
        DATABASE_OWNER_URL=migrated_database.owner_url,
        INSTANCE_DIR=str(instance),
        MAIL_URL=f"file://{instance / 'mail'}",
        BASE_URL="http://localhost",
    )
    support.isolate_request_scope(app)
    try:
        with app.app_context():
            act_for_all_clinics()
            built = data.build()
            yield app, {name: therapist.id for name, therapist in built.items()}
            db.session.remove()
            db.engine.dispose()
    finally:
        support.empty_database(migrated_database.owner_url)


@pytest.fixture
def directory(_built) -> dict[str, Therapist]:
    """The shared directory's therapists by name (read-only)."""
    _app, ids = _built
    yield {name: db.session.get(Therapist, key) for name, key in ids.items()}
    db.session.rollback()


@pytest.fixture
def api(_built, directory):
    """A test client of the app the directory was built in."""
    app, _ids = _built
    return app.test_client()
