"""The measuring steps of a run, each returning its figures."""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from flask import Flask

from scripts.bench import mix as query_mix
from scripts.bench.database import Prepared
from scripts.bench.load import LoadResult, probe, query_until, run_load
from scripts.bench.processes import (
    Finished,
    children,
    cpu_seconds,
    database_backends,
    environment,
    flask_command,
    run_timed,
)
from scripts.bench.report import Category
from scripts.bench.sqltime import time_searches
from scripts.bench.stats import Summary, summarise

HOST = "127.0.0.1"
API_PATH = "/api/v1/therapists"
REINDEX_LINE = re.compile(r"Rebuilt ([\d,]+) search documents in ([\d.]+) s")


def server_env(prepared: Prepared, redis_url: str, queue: str, run_dir: Path, port: int) -> dict:
    """What production sets; APP_ENV=production refuses to start without each of them.

    The web app and the worker connect as the application role (DATABASE_URL); the
    reindex's DDL uses the owner (DATABASE_OWNER_URL), as `search reindex` does anywhere.
    """
    return environment(
        APP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=prepared.app_url,
        DATABASE_OWNER_URL=prepared.owner_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        MAIL_URL=f"file://{run_dir / 'mail'}",
        BASE_URL=f"http://{HOST}:{port}",
        INSTANCE_DIR=str(run_dir / "instance"),
    )


@dataclass(frozen=True)
class Reindexed:
    finished: Finished
    documents: int


def reindex(env: dict, log: Path) -> Reindexed:
    """`flask search reindex` in a process of its own: wall time and its peak RSS."""
    finished = run_timed(flask_command("search", "reindex"), env, log)
    found = REINDEX_LINE.search(finished.output)
    return Reindexed(finished, int(found.group(1).replace(",", "")) if found else 0)


def search_target(port: int, wanted: str, say) -> str | None:
    """The search path that answers: the page, else the JSON API, else none yet."""
    for path in dict.fromkeys([wanted, API_PATH]):
        status = probe(HOST, port, f"{path}?q=massage")
        if status == 200:
            return path
        say(f"{path}?q=massage answers {status or 'nothing'}")
    return None


def interleave(lists: list[list[str]]) -> list[str]:
    """a1 b1 c1 a2 b2 c2 …: every category in turn."""
    longest = max((len(items) for items in lists), default=0)
    return [items[i] for i in range(longest) for items in lists if i < len(items)]


class CpuMeter:
    """CPU time used by the server's processes: gunicorn's workers and the PostgreSQL
    backends of the application role on the benchmark database (the machine's other
    work is left out)."""

    def __init__(self, gunicorn_pid: int, user: str, database: str):
        self.groups = {
            "gunicorn": lambda: children(gunicorn_pid),
            "PostgreSQL": lambda: database_backends(user, database),
        }

    def read(self) -> dict[str, dict[int, float]]:
        return {
            name: {pid: cpu_seconds(pid) for pid in pids()} for name, pids in self.groups.items()
        }

    def since(self, before: dict[str, dict[int, float]]) -> dict[str, float]:
        """Seconds used by each group since `before` (a process new since then counts whole)."""
        now = self.read()
        return {
            name: sum(cpu - before[name].get(pid, 0.0) for pid, cpu in now[name].items())
            for name in now
        }


@dataclass(frozen=True)
class HttpFigures:
    summary: Summary | None
    failures: int
    failure_kinds: str  # e.g. "HTTP 500 x3"; '' when none failed
    generator_cpu: float  # CPU seconds the client processes used per second
    cpu_ms: dict[str, float] | None = None  # server CPU per answered request, by process

    def row(self, name: str) -> tuple[str, Summary | None, int, dict[str, float] | None]:
        """This load as a row of the report's extra rows."""
        return (name, self.summary, self.failures, self.cpu_ms)

    def describe_cpu(self) -> str:
        if not self.cpu_ms:
            return ""
        return ", ".join(f"{name} {ms:.1f} ms" for name, ms in self.cpu_ms.items())


def http_load(
    port: int,
    paths: list[str],
    clients: int,
    duration: float,
    meter: CpuMeter | None = None,
    cookie: str = "",
) -> HttpFigures:
    before = meter.read() if meter else None
    result = run_load(HOST, port, paths, clients=clients, duration=duration, cookie=cookie)
    cpu_ms = None
    if meter and result.answered:
        used = meter.since(before)
        cpu_ms = {name: seconds * 1000 / result.answered for name, seconds in used.items()}
    return HttpFigures(
        summarise(result.latencies, result.duration),
        result.failures,
        result.describe_failures(),
        result.client_cpu_seconds / result.duration,
        cpu_ms,
    )


def warm_up(port: int, paths: list[str]) -> None:
    """Request each path once, unmeasured: the server's facet cache then holds every
    search of the mix, as the SQL figures marked warm assume."""
    for path in paths:
        probe(HOST, port, path)


def measure_category(
    name: str,
    query_strings: list[str],
    *,
    apps: tuple[Flask, Flask],
    search_path: str | None,
    sql_path: str,
    port: int,
    clients: int,
    duration: float,
    sql_repeats: int,
    meter: CpuMeter | None,
    say,
) -> Category:
    """SQL times (no cache, then warm) and, when a search path answers, HTTP: one client
    alone, then `clients` at once, both after a warm-up pass."""
    cold_app, warm_app = apps
    cold = time_searches(cold_app, sql_path, query_strings, sql_repeats)
    warm = time_searches(warm_app, sql_path, query_strings, sql_repeats)
    say(f"  slowest without cache: {cold.slowest[0] * 1000:.1f} ms  ?{cold.slowest[1]}")
    http = measure_http(name, query_strings, search_path, port, clients, duration, meter)
    return replace(
        http,
        sql=summarise(warm.sql),
        sql_cold=summarise(cold.sql),
        statements=sum(warm.statements) / max(1, len(warm.statements)),
        call=summarise(warm.total),
    )


def measure_http(
    name: str,
    query_strings: list[str],
    search_path: str | None,
    port: int,
    clients: int,
    duration: float,
    meter: CpuMeter | None,
) -> Category:
    """HTTP only (no SQL figures): one client alone, then `clients` at once, both after a
    warm-up pass."""
    http = serial = None
    if search_path:
        paths = [f"{search_path}?{qs}" for qs in query_strings]
        warm_up(port, paths)
        # One client alone: the server's own latency, without waiting behind others.
        serial = http_load(port, paths, 1, max(2.0, duration / 2))
        http = http_load(port, paths, clients, duration, meter)
    failures = [f for f in (serial, http) if f is not None]
    return Category(
        name=name,
        http=http.summary if http else None,
        failures=sum(f.failures for f in failures),
        failure_kinds=", ".join(f.failure_kinds for f in failures if f.failure_kinds),
        sql=None,
        sql_cold=None,
        statements=0,
        serial=serial.summary if serial else None,
        cpu_ms=http.cpu_ms if http else None,
        location=name in query_mix.LOCATION_CATEGORIES,
    )


@dataclass(frozen=True)
class UnderLoad:
    reindex: Reindexed
    summary: Summary | None
    failures: int
    failure_kinds: str

    def describe(self) -> str:
        took = (
            f"a second full reindex took {self.reindex.finished.seconds:.1f} s "
            f"({self.reindex.documents:,} documents) while one client searched without pause"
        )
        if self.summary is None:
            return f"{took}; no search answered ({self.failures} failed)"
        s = self.summary
        return (
            f"{took}: {s.count:,} searches, p50 {s.p50:.1f} ms, p99 {s.p99:.1f} ms, "
            f"max {s.max:.1f} ms, {self.failures} failed"
            + (f" ({self.failure_kinds})" if self.failure_kinds else "")
        )


def reindex_under_load(env: dict, log: Path, port: int, paths: list[str]) -> UnderLoad:
    """A full reindex while one client thread searches; every request counts."""
    stop = threading.Event()
    outcome: dict[str, LoadResult] = {}
    thread = threading.Thread(
        target=lambda: outcome.update(result=query_until(HOST, port, paths, stop))
    )
    thread.start()
    try:
        done = reindex(env, log)
    finally:
        stop.set()
        thread.join()
    result = outcome["result"]
    return UnderLoad(done, summarise(result.latencies), result.failures, result.describe_failures())
