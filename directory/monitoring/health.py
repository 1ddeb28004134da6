"""Readiness: can this process serve requests, and which of its parts are down?

The database is essential: without it nothing works, and the process is not ready.
Redis and the Celery broker are not: without Redis the app works without its copies,
without a broker jobs wait in the outbox; either one down leaves the process ready but
*degraded*.

Each part is checked in a thread of its own, all at once, and whatever has not answered
within DEADLINE_SECONDS counts as down: a hung part costs the probe about a second, never
more.  The checks have short timeouts of their own as well (the database's connect, the
Redis client's REDIS_TIMEOUT_SECONDS, BROKER_TIMEOUT_SECONDS), so a thread left behind by
a hung part ends soon after.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from directory.core import redis_client
from directory.extensions import db

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 0.9
BROKER_TIMEOUT_SECONDS = 0.5

UP, DOWN, NOT_CONFIGURED, EAGER = "up", "down", "not configured", "eager"
READY, DEGRADED, NOT_READY = "ok", "degraded", "down"
PARTS = ("database", "redis", "broker")


@dataclass(frozen=True)
class PartHealth:
    status: str
    latency_ms: float | None = None
    error: str | None = None  # the kind of error only: the probe may be public

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Readiness:
    parts: dict[str, PartHealth]

    @property
    def ready(self) -> bool:
        return self.parts["database"].status == UP

    @property
    def status(self) -> str:
        if not self.ready:
            return NOT_READY
        return DEGRADED if any(p.status == DOWN for p in self.parts.values()) else READY

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "checks": {name: part.as_json() for name, part in self.parts.items()},
        }


def readiness(app: Flask) -> Readiness:
    """Check the database, Redis and the broker of `app` (in its app context)."""
    checks: dict[str, Callable[[], object]] = {"database": _database_check(db.engine)}
    known: dict[str, PartHealth] = {}
    client = redis_client.of(app)
    if client is None:
        known["redis"] = PartHealth(NOT_CONFIGURED)
    else:
        checks["redis"] = client.redis.ping
    celery = app.extensions["celery"]
    if celery.conf.task_always_eager:
        known["broker"] = PartHealth(EAGER)
    else:
        checks["broker"] = _broker_check(celery)
    found = run_checks(checks, DEADLINE_SECONDS)
    return Readiness({name: found.get(name) or known[name] for name in PARTS})


def _database_check(engine: sa.Engine) -> Callable[[], object]:
    def check() -> object:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT 1")).scalar()

    return check


def _broker_check(celery) -> Callable[[], object]:
    def check() -> object:
        timeout = BROKER_TIMEOUT_SECONDS
        options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
        with celery.connection_for_write(
            connect_timeout=timeout, transport_options=options
        ) as connection:
            # max_retries=0: the first failure is the answer, with no sleep before a retry
            return connection.ensure_connection(max_retries=0)

    return check


def run_checks(checks: dict[str, Callable[[], object]], deadline: float) -> dict[str, PartHealth]:
    """Run every check at once; what has not answered within `deadline` seconds is down.

    A part found down is logged here, in the caller's thread, so the line carries the
    request's id.
    """
    results: dict[str, tuple[PartHealth, str]] = {}

    def run(name: str, check: Callable[[], object]) -> None:
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure of a part means that part is down
            kind = type(error).__name__
            results[name] = (PartHealth(DOWN, _ms_since(started), kind), f"{kind}: {error}")
        else:
            results[name] = (PartHealth(UP, _ms_since(started)), "")

    # Daemon threads: one stuck in a hung part must not keep the process from exiting.
    threads = [
        threading.Thread(target=run, args=item, name=f"health-{item[0]}", daemon=True)
        for item in checks.items()
    ]
    ends_at = time.monotonic() + deadline
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, ends_at - time.monotonic()))
    late = (PartHealth(DOWN, round(deadline * 1000, 1), "timeout"), f"no answer in {deadline}s")
    found = {name: results.get(name, late) for name in checks}
    for name, (part, detail) in found.items():
        if part.status == DOWN:
            log.warning("health: %s is down (%s)", name, detail)
    return {name: part for name, (part, _) in found.items()}


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
