"""A typed city is looked up once per process: cities are reference data."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from directory.extensions import db
from directory.search import params


def lookups(typed: str) -> tuple[object, int]:
    seen = []

    def record(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = params.find_place(typed)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return found, len(seen)


def test_a_city_is_looked_up_once_then_remembered(app):
    first, queries = lookups("Toronto")
    assert first is not None and first.slug == "toronto" and queries > 0
    again, queries = lookups("Toronto")
    assert (again, queries) == (first, 0)
    unknown, _ = lookups("Qqzzyx Nowhere")
    assert unknown is None
    assert lookups("Qqzzyx Nowhere") == (None, 0)


def test_only_the_latest_answers_are_kept(app, monkeypatch):
    monkeypatch.setattr(params, "PLACES_REMEMBERED", 2)
    for typed in ("toronto", "bangkok", "montreal"):
        params.find_place(typed)
    remembered = app.extensions["search_places"]
    assert list(remembered) == ["bangkok", "montreal"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("cities"))) > 3
