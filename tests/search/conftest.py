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

from directory.extensions import db
from directory.search.engine import search
from directory.search.params import parse_search
from directory.search.results import SearchResults
from tests import support
from tests.search.fixtures import Directory, build_directory


@pytest.fixture(scope="module")
def _built_directory(migrated_database, tmp_path_factory):
    instance = tmp_path_factory.mktemp("search-directory")
    with support.shared_app(migrated_database, instance) as app:
        yield app, build_directory()


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
