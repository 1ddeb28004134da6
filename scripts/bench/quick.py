"""`python -m scripts.bench --quick`: the app's own cost per search, in about a minute.

For each category of the query mix: the warm SQL p50 (this process, as a request runs
the search) and the p50 of one client alone against gunicorn rendering every page, and
the difference, the figure the "HTTP p50 within 3 ms of SQL p50" target is about.  No
Celery worker, no load, no reindex, nothing written to docs: a measurement to iterate
with between full runs of `make bench`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.bench import mix as query_mix
from scripts.bench import steps
from scripts.bench.database import Prepared, owner_engine
from scripts.bench.processes import start_gunicorn
from scripts.bench.sqltime import make_app, time_searches
from scripts.bench.stats import summarise

SEARCHES_PER_CATEGORY = 24
SQL_REPEATS = 3
HTTP_SECONDS = 4.0


@dataclass(frozen=True)
class Gap:
    category: str
    http_p50: float
    sql_p50: float
    search_p50: float

    @property
    def gap(self) -> float:
        return self.http_p50 - self.sql_p50


def table(gaps: list[Gap]) -> str:
    """The figures as a Markdown table, in ms."""
    lines = [
        "| category | 1 client HTTP p50 | search() p50 | SQL p50 | HTTP - SQL |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {g.category} | {g.http_p50:.1f} | {g.search_p50:.1f} | {g.sql_p50:.1f} | {g.gap:.1f} |"
        for g in gaps
    ]
    return "\n".join(lines)


def measure(
    prepared: Prepared, *, seed: int, redis_url: str, run_dir: Path, port: int, say
) -> list[Gap]:
    queue = "bench-quick"
    env = steps.server_env(prepared, redis_url, queue, run_dir, port)
    engine = owner_engine(prepared.owner_url)
    with engine.connect() as connection:
        searches = query_mix.build_mix(connection, SEARCHES_PER_CATEGORY, seed)
    engine.dispose()
    app = make_app(
        app_url=prepared.app_url,
        owner_url=prepared.owner_url,
        redis_url=redis_url,
        queue=queue,
        run_dir=run_dir,
        cache=True,
    )
    gunicorn = start_gunicorn(
        {**env, "SHARED_PAGE_SECONDS": "0"},
        port,
        workers=2,
        worker_class="gthread",
        threads=4,
        log=run_dir / "gunicorn-quick.log",
    )
    gaps = []
    try:
        for name in query_mix.CATEGORIES:
            say(name)
            warm = time_searches(app, "/therapists", searches[name], SQL_REPEATS)
            paths = [f"/therapists?{qs}" for qs in searches[name]]
            steps.warm_up(port, paths)
            serial = steps.http_load(port, paths, 1, HTTP_SECONDS).summary
            sql, call = summarise(warm.sql), summarise(warm.total)
            if serial is None or sql is None or call is None:
                raise RuntimeError(f"{name}: no search answered (see {gunicorn.log})")
            gaps.append(Gap(name, serial.p50, sql.p50, call.p50))
    finally:
        gunicorn.stop()
    return gaps
