"""A cache for what repeats between searches: totals and facet counts.

Entries are keyed by the index's generation, a fresh token after every commit that
changed a search document, so a cached count is never older than the index it counts.
Redis when REDIS_URL is set (shared by every gunicorn worker), else this process's memory.
Every change of the index is announced under INDEX_CHANGED (after the commit, or at once
for a full reindex); this cache listens to it, and so may whoever keeps anything else made
from the index (stored search pages).

While Redis is unavailable there is no generation: every count is worked out for its
request (slower, never wrong), and nothing is stored.

A request reads the generation once (it then searches one generation throughout), and
each process keeps the entries it read most recently in memory beside Redis: an entry
never changes under its generation, so the copy needs no invalidation, and a warm search
costs one Redis round trip instead of two per cached value, and no unpickling.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import redis
from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, current_app, has_request_context, request
from sqlalchemy.orm import Session

from directory.core import after_commit, redis_client

GENERATION_KEY = "generation"
# Bumped whenever the shape of a cached value changes, so that during a rolling deploy
# old and new workers sharing one Redis never read each other's entries.
FORMAT = 4
# The after-commit kind of a change of search documents: whoever keeps something made
# from the index (stored search pages) listens to it beside this cache.
INDEX_CHANGED = "search index"
# Entries each process keeps in memory (about 3 KB each at 100,000 therapists: 1.5 MB).
LOCAL_ENTRIES = 512
_REQUEST_GENERATION = "directory.search_generation"  # a WSGI environ key
_UNANNOUNCED = "search_cache_unannounced"  # app.extensions: a new generation Redis missed

log = logging.getLogger(__name__)


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
    client = redis_client.of(app)
    if client is not None:
        prefix = f"{app.config['REDIS_KEY_PREFIX']}search:"
        return RedisCache(client.redis, key_prefix=prefix, default_timeout=seconds)
    return SimpleCache(threshold=2000, default_timeout=seconds)


def _cache() -> BaseCache | None:
    """The shared cache, or None while Redis is unavailable."""
    if redis_client.configured() and redis_client.available() is None:
        return None
    return current_app.extensions["search_cache"]


def _local() -> LocalEntries | None:
    return current_app.extensions["search_cache_local"]


def generation() -> str | None:
    """The index's current generation: a token never used before, so a generation key that
    was lost (a timeout, the in-process cache pruning itself, a Redis eviction) starts a new
    generation instead of counting up again into numbers older entries still live under.
    None while Redis is unavailable.

    Read once per request: a request's searches all count the same generation."""
    memo = _request_memo()
    if memo is not None and _REQUEST_GENERATION in memo:
        return memo[_REQUEST_GENERATION]
    current = _read_generation()
    if memo is not None:
        memo[_REQUEST_GENERATION] = current
    return current


def _read_generation() -> str | None:
    cache = _cache()
    if cache is None:
        return None
    if current_app.extensions[_UNANNOUNCED] and not _new_generation():
        return None  # a change this process made is not announced yet: nothing is current
    try:
        current = cache.get(GENERATION_KEY)
        if current is None:
            cache.add(GENERATION_KEY, _new_token(), timeout=0)
            current = cache.get(GENERATION_KEY) or _new_token()
    except redis.RedisError as error:
        redis_client.failed(error, "reading the search index's generation")
        return None
    return current


def _request_memo() -> dict | None:
    """Where this request keeps what it read (its WSGI environ: one per request, whatever
    app context the request shares), or None outside a request."""
    return request.environ if has_request_context() else None


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """compute(), remembered under `key` for the current generation of the index."""
    local = _local()
    current = generation() if local is not None else None
    if local is None or current is None:  # caching is off, or Redis is unavailable
        return compute()
    full_key = f"{FORMAT}:{current}:{key}"
    value = local.get(full_key)
    if value is not None:
        return value
    cache = _cache()
    try:
        value = cache.get(full_key) if cache is not None else None
        if value is None:
            value = compute()
            if cache is not None:
                cache.set(full_key, value)
    except redis.RedisError as error:
        redis_client.failed(error, "caching search counts")
        return value if value is not None else compute()
    local.set(full_key, value)
    return value


def index_changed(session: Session) -> None:
    """Note that this transaction changed search documents; the commit bumps the generation."""
    after_commit.defer(session, INDEX_CHANGED, True)


def index_rebuilt() -> None:
    """The whole index was replaced outside the session (a full reindex): every listener
    of INDEX_CHANGED hears of it now."""
    after_commit.announce(INDEX_CHANGED, [True])


def _bump_after_change(_items: list) -> None:
    bump_generation()


def bump_generation() -> None:
    """A new generation of the index: cached counts and stored search pages are past."""
    memo = _request_memo()
    if memo is not None:
        memo.pop(_REQUEST_GENERATION, None)
    if not _new_generation():
        log.error("search cache: could not start a new generation of the index yet")


def _new_generation() -> bool:
    """Replace the generation; when Redis cannot be told (or failed a moment ago), this
    process remembers to, and reads no generation until it has."""
    missed = current_app.extensions[_UNANNOUNCED]
    cache = _cache()
    if cache is not None:
        try:
            cache.set(GENERATION_KEY, _new_token(), timeout=0)
            missed.clear()
            return True
        except redis.RedisError as error:
            redis_client.failed(error, "starting a new generation of the search index")
    missed.add(GENERATION_KEY)
    return False


def _new_token() -> str:
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    app.extensions["search_cache"] = _make_cache(app)
    app.extensions[_UNANNOUNCED] = set()
    seconds = app.config["SEARCH_CACHE_SECONDS"]
    app.extensions["search_cache_local"] = (
        LocalEntries(LOCAL_ENTRIES, seconds) if seconds > 0 else None
    )
    after_commit.on_commit(INDEX_CHANGED, _bump_after_change)
