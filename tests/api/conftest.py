"""API fixtures: the small directory of tests/api/data.py, built once per module and backend.

The API only reads, so the tests of a module share one directory, built inside an app
context of its own and emptied when the module is done.  A module that uses `directory`
must not also use `app` (whose teardown empties the database under the shared data).
"""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.therapists.models import Therapist
from tests import support
from tests.api import data


@pytest.fixture(scope="module")
def _built(migrated_database, tmp_path_factory):
    with support.shared_app(migrated_database, tmp_path_factory.mktemp("api-directory")) as app:
        built = data.build()
        yield app, {name: therapist.id for name, therapist in built.items()}


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
