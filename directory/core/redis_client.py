"""The one Redis client of the application (Celery's broker connection aside).

Everything the app keeps in Redis is an optimisation (cached counts, shared pages, account
snapshots, view counts waiting to be added up), so Redis must never fail a request nor
hold one for long:

- connect and socket timeouts are short (REDIS_TIMEOUT_SECONDS);
- a caller catches `redis.RedisError` around its calls and reports it with `failed()`,
  then carries on without Redis ("no cache");
- after a failure `available()` answers None for REDIS_RETRY_SECONDS, so a Redis that is
  down or hung costs at most one timeout per process in that while, not one per call;
- the failure is logged as one warning, at most once a minute per process.

Every key goes through `key()`, which puts REDIS_KEY_PREFIX before it.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

_EXTENSION = "redis_client"
WARNING_INTERVAL_SECONDS = 60


def client_options(timeout: float) -> dict:
    """Connection options for a Redis that must never hold a request: short timeouts, and
    no retries (redis-py retries a failed command three times by default, each waiting
    its timeout again); this process's rest after a failure is the retry."""
    return {
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }


class RedisClient:
    """A Redis connection pool and what this process knows of its health."""

    def __init__(self, url: str, prefix: str, timeout: float, retry_seconds: float):
        self.redis = redis.Redis.from_url(url, **client_options(timeout))
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._resting_until = 0.0
        self._warned_at = float("-inf")
        self._lock = threading.Lock()

    def available(self) -> redis.Redis | None:
        return None if time.monotonic() < self._resting_until else self.redis

    def failed(self, error: Exception, doing: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._resting_until = now + self.retry_seconds
            warn = now - self._warned_at >= WARNING_INTERVAL_SECONDS
            if warn:
                self._warned_at = now
        if warn:
            log.warning(
                "Redis unavailable while %s (%s: %s); working without it for %ss at a time",
                doing,
                type(error).__name__,
                error,
                self.retry_seconds,
            )


def init_app(app: Flask) -> None:
    """The app's client; the rate limiter's Redis storage gets the same options (call
    before the limiter is bound)."""
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {
            **client_options(app.config["REDIS_TIMEOUT_SECONDS"]),
            **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
        }
    url = app.config["REDIS_URL"]
    app.extensions[_EXTENSION] = (
        RedisClient(
            url,
            prefix=app.config["REDIS_KEY_PREFIX"],
            timeout=app.config["REDIS_TIMEOUT_SECONDS"],
            retry_seconds=app.config["REDIS_RETRY_SECONDS"],
        )
        if url
        else None
    )


def of(app: Flask) -> RedisClient | None:
    """The app's client (None without REDIS_URL), for extensions set up before a request."""
    return app.extensions[_EXTENSION]


def configured() -> bool:
    """Whether the app has a Redis at all (REDIS_URL), healthy or not."""
    return current_app.extensions[_EXTENSION] is not None


def available() -> redis.Redis | None:
    """The Redis client, or None when there is none or it failed a moment ago."""
    client: RedisClient | None = current_app.extensions[_EXTENSION]
    return client.available() if client is not None else None


def failed(error: Exception, doing: str) -> None:
    """Report that a call failed: this process leaves Redis alone for a moment."""
    client: RedisClient | None = current_app.extensions[_EXTENSION]
    if client is not None:
        client.failed(error, doing)


def key(name: str) -> str:
    """`name` as this app's key (REDIS_KEY_PREFIX before it)."""
    return f"{current_app.config['REDIS_KEY_PREFIX']}{name}"
