"""A cache for what repeats between searches: totals and facet counts.

Entries are keyed by the index's generation, a fresh token after every commit that
changed a search document, so a cached count is never older than the index it counts.
Redis when REDIS_URL is set (shared by every gunicorn worker), else this process's memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.public import page_cache

GENERATION_KEY = "generation"
# Bumped whenever the shape of a cached value changes, so that during a rolling deploy
# old and new workers sharing one Redis never read each other's entries.
FORMAT = 2
_CHANGED = "search_index_changed"


def _make_cache(app: Flask) -> BaseCache:
    seconds = app.config["SEARCH_CACHE_SECONDS"]
    if seconds <= 0:
        return NullCache()
    if app.config["REDIS_URL"]:
        import redis

        client = redis.Redis.from_url(app.config["REDIS_URL"])
        return RedisCache(client, key_prefix="search:", default_timeout=seconds)
    return SimpleCache(threshold=2000, default_timeout=seconds)


def _cache() -> BaseCache:
    return current_app.extensions["search_cache"]


def generation() -> str:
    """The index's current generation: a token never used before, so a generation key that
    was lost (a timeout, the in-process cache pruning itself, a Redis eviction) starts a new
    generation instead of counting up again into numbers older entries still live under."""
    cache = _cache()
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, _new_token(), timeout=0)
        current = cache.get(GENERATION_KEY) or _new_token()
    return current


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """compute(), remembered under `key` for the current generation of the index."""
    cache = _cache()
    full_key = f"{FORMAT}:{generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value)
    return value


def index_changed(session: Session) -> None:
    """Note that this transaction changed search documents; the commit bumps the generation."""
    session.info[_CHANGED] = True


def bump_generation() -> None:
    """A new generation of the index: cached counts and stored search pages are past."""
    _cache().set(GENERATION_KEY, _new_token(), timeout=0)
    page_cache.forget(page_cache.SEARCH_SUBJECT)


def _new_token() -> str:
    return uuid.uuid4().hex


def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        bump_generation()


def _forget_after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)


def init_app(app: Flask, session_class: type[Session]) -> None:
    app.extensions["search_cache"] = _make_cache(app)
    if not event.contains(session_class, "after_commit", _bump_after_commit):
        event.listen(session_class, "after_commit", _bump_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)
