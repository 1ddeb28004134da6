"""A cache for what repeats between searches: totals and facet counts.

Entries are keyed by the index's generation, a fresh token after every commit that
changed a search document, so a cached count is never older than the index it counts.
Redis when REDIS_URL is set (shared by every gunicorn worker), else this process's memory.

A request reads the generation once (it then searches one generation throughout), and
each process keeps the entries it read most recently in memory beside Redis: an entry
never changes under its generation, so the copy needs no invalidation, and a warm search
costs one Redis round trip instead of two per cached value, and no unpickling.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.public import page_cache, shared_store

GENERATION_KEY = "generation"
# Bumped whenever the shape of a cached value changes, so that during a rolling deploy
# old and new workers sharing one Redis never read each other's entries.
FORMAT = 3
_CHANGED = "search_index_changed"
# Entries each process keeps in memory (about 3 KB each at 100,000 therapists: 1.5 MB).
LOCAL_ENTRIES = 512
_REQUEST_GENERATION = "directory.search_generation"  # a WSGI environ key


class LocalEntries:
    """The most recently used entries of this process, each until it expires (thread-safe:
    gunicorn's threads share it)."""

    def __init__(self, size: int, seconds: int):
        self.size, self.seconds = size, seconds
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self.seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


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


def _local() -> LocalEntries | None:
    return current_app.extensions["search_cache_local"]


def generation() -> str:
    """The index's current generation: a token never used before, so a generation key that
    was lost (a timeout, the in-process cache pruning itself, a Redis eviction) starts a new
    generation instead of counting up again into numbers older entries still live under.

    Read once per request: a request's searches all count the same generation."""
    memo = _request_memo()
    if memo is not None and _REQUEST_GENERATION in memo:
        return memo[_REQUEST_GENERATION]
    cache = _cache()
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, _new_token(), timeout=0)
        current = cache.get(GENERATION_KEY) or _new_token()
    if memo is not None:
        memo[_REQUEST_GENERATION] = current
    return current


def _request_memo() -> dict | None:
    """Where this request keeps what it read (its WSGI environ: one per request, whatever
    app context the request shares), or None outside a request."""
    return request.environ if has_request_context() else None


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """compute(), remembered under `key` for the current generation of the index."""
    local = _local()
    if local is None:  # caching is off
        return compute()
    cache = _cache()
    full_key = f"{FORMAT}:{generation()}:{key}"
    value = local.get(full_key)
    if value is None:
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value)
        local.set(full_key, value)
    return value


def index_changed(session: Session) -> None:
    """Note that this transaction changed search documents; the commit bumps the generation."""
    session.info[_CHANGED] = True


def bump_generation() -> None:
    """A new generation of the index: cached counts and stored search pages are past."""
    _cache().set(GENERATION_KEY, _new_token(), timeout=0)
    memo = _request_memo()
    if memo is not None:
        memo.pop(_REQUEST_GENERATION, None)
    shared_store.forget(page_cache.SEARCH_SUBJECT)


def _new_token() -> str:
    return uuid.uuid4().hex


def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        bump_generation()


def _forget_after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)


def init_app(app: Flask, session_class: type[Session]) -> None:
    app.extensions["search_cache"] = _make_cache(app)
    seconds = app.config["SEARCH_CACHE_SECONDS"]
    app.extensions["search_cache_local"] = (
        LocalEntries(LOCAL_ENTRIES, seconds) if seconds > 0 else None
    )
    if not event.contains(session_class, "after_commit", _bump_after_commit):
        event.listen(session_class, "after_commit", _bump_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)
