"""The SQL time of a search, measured in this process beside the HTTP figures.

The app here is built like the server's (the application role, the same Redis for the
facet cache), and each search runs as a request would: parse_search + search inside a
request context, with every statement timed by SQLAlchemy cursor events.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, request

from config import Config
from directory import create_app
from directory.extensions import db
from directory.search.engine import search
from directory.search.params import parse_search


def make_app(
    *, app_url: str, owner_url: str, redis_url: str, queue: str, run_dir: Path, cache: bool
) -> Flask:
    """An app connected as the application role, sending jobs to the server's broker.

    Its facet cache (when on) lives in this process, not in the server's Redis: the
    figures are the same (a warm cache runs no summary SQL), and the server's cache never
    holds a value this process's copy of the code computed.
    """
    return create_app(
        Config,
        SQLALCHEMY_DATABASE_URI=sa.engine.make_url(app_url)
        .set(drivername="postgresql+psycopg")
        .render_as_string(hide_password=False),
        DATABASE_OWNER_URL=owner_url,
        REDIS_URL="",
        CELERY_BROKER_URL=redis_url,
        CELERY_EAGER=False,
        CELERY_QUEUE=queue,
        SEARCH_CACHE_SECONDS=300 if cache else 0,
        MAIL_URL=f"file://{run_dir / 'mail'}",
        INSTANCE_DIR=str(run_dir / "instance"),
        BASE_URL="http://127.0.0.1",
    )


class StatementTimer:
    """Sums the time of every statement run on an engine while attached."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.seconds = 0.0
        self.statements = 0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seconds += time.perf_counter() - conn.info["bench_started"].pop()
        self.statements += 1

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0

    def detach(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        sa.event.remove(self.engine, "after_cursor_execute", self._after)


@dataclass
class SearchTimes:
    """Per search: seconds in SQL, seconds in the whole call, statements run."""

    sql: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")


def time_searches(app: Flask, path: str, query_strings: list[str], repeats: int) -> SearchTimes:
    """Run each search once unmeasured (to warm the pool and, if on, the cache), then
    `repeats` times measured, in a request context of its own each time."""
    times = SearchTimes()
    with app.app_context():
        timer = StatementTimer(db.engine)
    try:
        for round_number in range(repeats + 1):
            for query_string in query_strings:
                with app.test_request_context(f"{path}?{query_string}"):
                    timer.reset()
                    started = time.perf_counter()
                    search(parse_search(request.args))
                    total = time.perf_counter() - started
                if round_number == 0:
                    continue
                times.sql.append(timer.seconds)
                times.total.append(total)
                times.statements.append(timer.statements)
                times.slowest = max(times.slowest, (timer.seconds, query_string))
    finally:
        timer.detach()
    return times
