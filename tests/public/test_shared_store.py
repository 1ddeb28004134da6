"""The shared store: a value is read back only while the generation it was made under is
current, and only a committed change starts a new one."""

from __future__ import annotations

import logging

import pytest
import redis
import sqlalchemy as sa

from directory.extensions import db
from directory.public import shared_store


@pytest.fixture
def store(redis_app):
    with redis_app.test_request_context("/"):
        yield


def test_a_value_is_read_back_while_its_generation_is_current(store):
    generation, value = shared_store.lookup("subject", "name")
    assert generation and value is None
    shared_store.store("subject", "name", generation, b"made\nonce")
    assert shared_store.lookup("subject", "name") == (generation, b"made\nonce")
    assert shared_store.lookup("subject", "other") == (generation, None)
    assert shared_store.lookup("another subject", "name")[1] is None


def test_a_value_made_while_its_subject_changed_is_never_read(store):
    generation, _ = shared_store.lookup("subject", "name")
    shared_store.forget("subject")  # a commit lands while the value is being made
    shared_store.store("subject", "name", generation, b"older")
    newer, value = shared_store.lookup("subject", "name")
    assert value is None and newer != generation


def test_only_a_committed_change_starts_a_new_generation(store):
    generation, _ = shared_store.lookup("subject", "name")
    shared_store.store("subject", "name", generation, b"value")

    db.session.execute(sa.text("SELECT 1"))  # a transaction that changes the subject...
    shared_store.changed("subject")
    db.session.rollback()  # ...and is rolled back
    db.session.commit()  # the next commit carries nothing of it over
    assert shared_store.lookup("subject", "name") == (generation, b"value")

    shared_store.changed("subject")
    db.session.commit()
    assert shared_store.lookup("subject", "name")[1] is None


def test_a_value_that_cannot_be_stored_is_only_lost(store, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise redis.ConnectionError("down")

    generation, _ = shared_store.lookup("subject", "name")
    monkeypatch.setattr(redis.Redis, "set", refuse)
    with caplog.at_level(logging.WARNING):
        shared_store.store("subject", "name", generation, b"value")
    assert "Redis unavailable while storing name of subject" in caplog.text
    monkeypatch.undo()
    assert shared_store.lookup("subject", "name")[1] is None


def test_nothing_is_shared_without_redis(make_app):
    app = make_app(REDIS_URL="", SHARED_PAGE_SECONDS=300)
    with app.test_request_context("/"):
        assert not shared_store.enabled()
        shared_store.forget("subject")  # nothing to forget: no error either
