"""Search fixtures: the shared directory of tests/search/fixtures.py, on each backend.

Building the directory (nineteen therapists, forty reviews, every document rebuilt by the
eager worker) takes a moment, and the read-only tests ask hundreds of questions of it, so
it is built once per module and backend, inside an app context of its own, and emptied
when the module is done.  A module that uses `directory` must not also use `app` (whose
teardown empties the database under the shared data).
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from config import TestConfig
from directory import create_app
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.search.engine import SearchResults, search
from directory.search.params import parse_search
from tests import support
from tests.search.fixtures import Directory, build_directory


@pytest.fixture(scope="module")
def _built_directory(migrated_database, tmp_path_factory):
    instance = tmp_path_factory.mktemp("search-directory")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=migrated_database.url,
        DATABASE_OWNER_URL=migrated_database.owner_url,
        INSTANCE_DIR=str(instance),
        MAIL_URL=f"file://{instance / 'mail'}",
        BASE_URL="http://localhost",
    )
    try:
        with app.app_context():
            act_for_all_clinics()
            built = build_directory()
            yield app, built
            db.session.remove()
            db.engine.dispose()
    finally:
        support.empty_database(migrated_database.owner_url)


@pytest.fixture
def directory(_built_directory) -> Directory:
    """The shared directory (read-only), with the app context it was built in."""
    _app, built = _built_directory
    yield built
    db.session.rollback()


def run(args=None, **kwargs) -> SearchResults:
    """parse_search + search, as the page and the API call them."""
    return search(parse_search(MultiDict(args or kwargs)))


def slugs(results: SearchResults) -> list[str]:
    return [hit.slug for hit in results.hits]
