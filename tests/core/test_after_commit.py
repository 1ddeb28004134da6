"""The one after-commit mechanism: items wait for the outermost commit, and a rollback drops
exactly what it undid."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from directory.core import after_commit, outbox
from directory.extensions import db

KIND = "test: handled"


@pytest.fixture
def handled(app):
    calls: list[list] = []
    after_commit.on_commit(KIND, calls.append)
    db.session.execute(sa.text("SELECT 1"))  # inside a transaction, as a request is
    return calls


def test_items_wait_for_the_commit_and_run_once_without_repeats(handled):
    for item in ("a", "b", "a"):
        after_commit.defer(db.session(), KIND, item)
    assert handled == []
    db.session.commit()
    assert handled == [["a", "b"]]
    db.session.commit()
    assert handled == [["a", "b"]]


def test_a_rolled_back_savepoint_keeps_the_outer_transactions_items(handled):
    after_commit.defer(db.session(), KIND, "outer")
    savepoint = db.session.begin_nested()
    after_commit.defer(db.session(), KIND, "inner")
    savepoint.rollback()
    assert after_commit.pending(db.session(), KIND) == ["outer"]
    db.session.commit()
    assert handled == [["outer"]]


def test_a_savepoint_inside_a_rolled_back_savepoint_goes_with_it(handled):
    after_commit.defer(db.session(), KIND, "outer")
    outer_savepoint = db.session.begin_nested()
    inner_savepoint = db.session.begin_nested()
    after_commit.defer(db.session(), KIND, "released, then undone")
    inner_savepoint.commit()
    outer_savepoint.rollback()
    db.session.commit()
    assert handled == [["outer"]]


def test_a_released_savepoint_waits_for_the_outer_commit(handled):
    with db.session.begin_nested():
        after_commit.defer(db.session(), KIND, "inner")
    assert handled == []
    db.session.commit()
    assert handled == [["inner"]]


def test_an_outer_rollback_drops_everything(handled):
    after_commit.defer(db.session(), KIND, "outer")
    with db.session.begin_nested():
        after_commit.defer(db.session(), KIND, "inner")
    db.session.rollback()
    db.session.commit()
    assert handled == []


def test_a_closed_session_drops_what_it_did_not_commit(handled):
    after_commit.defer(db.session(), KIND, "never committed")
    db.session.close()
    db.session.commit()
    assert handled == []


def test_a_failing_handler_neither_raises_nor_stops_the_others(handled, caplog):
    def broken(items):
        raise RuntimeError("handler broke")

    after_commit.on_commit("test: broken", broken)
    after_commit.defer(db.session(), "test: broken", 1)
    after_commit.defer(db.session(), KIND, "still handled")
    db.session.commit()
    assert handled == [["still handled"]]
    assert "handler broke" in caplog.text


def test_an_unknown_kind_is_refused_at_once(app):
    with pytest.raises(KeyError):
        after_commit.defer(db.session(), "test: nobody listens", 1)


def test_an_outbox_job_queued_in_a_rolled_back_savepoint_is_not_dispatched(app, mail_folder):
    outbox.enqueue("emails.send", to="kept@example.com")  # the outer job stays
    with pytest.raises(RuntimeError), db.session.begin_nested():
        outbox.enqueue("emails.send", to="undone@example.com")
        raise RuntimeError("the savepoint fails")
    assert [name for _, name in after_commit.pending(db.session(), "outbox")] == ["emails.send"]
