"""`python -m scripts.bench [--small]`: run the whole benchmark and write its figures.

Steps: database (reused when already seeded at this size) -> full reindex (timed, peak
RSS) -> query mix from the data -> Celery worker and gunicorn as the application role ->
per search category, SQL times in this process and HTTP under load -> all searches mixed
-> profile pages -> approval to visible in search -> memory -> search during a second
full reindex -> Markdown into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis

from scripts.bench import mix as query_mix
from scripts.bench import quick, report, steps, visitor
from scripts.bench.database import FULL, SMALL, Prepared, Size, owner_engine, prepare
from scripts.bench.freshness import measure_approvals
from scripts.bench.processes import (
    ROOT,
    Service,
    children,
    memory,
    start_celery,
    start_gunicorn,
    start_redis,
)
from scripts.bench.sqltime import make_app
from scripts.bench.stats import summarise
from scripts.bench.targets import Measured, evaluate

API_CLIENTS = 16
DOC_KEYS = ("full", "small")


SHARED_PAGE_SECONDS = 300  # the production default
MIXED_ROW = "all searches, mixed"
API_ROW = "JSON API searches, mixed (rate limit off)"
REDIS_STOPPED_ROW = "all searches, mixed, Redis stopped"
PROFILE_ROW = "profile page (counts a view)"
SIGNED_IN = ", signed in, 2 on their compare list"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--small", action="store_true", help="10,000 therapists, 100,000 reviews")
    parser.add_argument("--reseed", action="store_true", help="build the database again")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only each category's 1-client HTTP p50 beside its SQL p50 (about a minute)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    parser.add_argument("--duration", type=float, help="seconds per measured row (10; small 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--port", type=int, default=8137)
    parser.add_argument("--search-path", default="/therapists", help="the search page's path")
    parser.add_argument("--per-category", type=int, default=48, help="distinct searches each")
    parser.add_argument("--sql-repeats", type=int, default=3, help="timed runs per search")
    parser.add_argument("--approvals", type=int, default=20, help="approval rounds")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL"),
        help="a Redis database the benchmark may empty (env BENCH_REDIS_URL); by default "
        "it starts a redis-server of its own, which it also stops to measure an outage",
    )
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="print the figures only")
    return parser.parse_args(argv)


class Progress:
    def __init__(self):
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f} s] {message}", file=sys.stderr)


def describe_machine(server_version: str) -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    meminfo = Path("/proc/meminfo").read_text().split()
    ram_gib = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024
    return (
        f"{os.cpu_count()} CPUs ({model}), {ram_gib:.0f} GiB RAM, PostgreSQL "
        f"{server_version.split()[0]}, Python {sys.version.split()[0]}; load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )


def python_speed_ms() -> float:
    """A fixed piece of pure Python work (best of 5, ms): how fast this CPU is right now,
    so that runs at different hours, or on different machines, can be compared."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def cpu_ticks() -> tuple[int, int]:
    """(all CPU time, time stolen by the hypervisor) since boot, in clock ticks."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields), fields[7]


def stolen_share(since: tuple[int, int]) -> float:
    """The share of CPU time the hypervisor gave to other machines since `since`."""
    total, stolen = cpu_ticks()
    return (stolen - since[1]) / max(1, total - since[0])


def describe_server(options: argparse.Namespace) -> str:
    kind = (
        f"gthread, {options.threads} threads each" if options.worker_class == "gthread" else "sync"
    )
    return (
        f"gunicorn, {options.workers} workers ({kind}), APP_ENV=production as the "
        f"application role; Redis facet cache and broker; one `celery worker` (prefork, "
        f"concurrency 1)"
    )


def memory_rows(gunicorn_pid: int, celery_pid: int) -> tuple[list, list[float], list[float]]:
    """(report rows, gunicorn worker RSS list, celery process RSS list)."""
    workers = [memory(pid) for pid in children(gunicorn_pid)]
    celery = [memory(celery_pid)] + [memory(pid) for pid in children(celery_pid)]
    rows = [
        (f"gunicorn worker {i}", f"{m.rss_mb:.0f} MB RSS (peak {m.peak_mb:.0f} MB)")
        for i, m in enumerate(workers, 1)
    ]
    names = ["celery worker (main)"] + [f"celery pool process {i}" for i in range(1, len(celery))]
    rows += [
        (name, f"{m.rss_mb:.0f} MB RSS (peak {m.peak_mb:.0f} MB)")
        for name, m in zip(names, celery, strict=True)
    ]
    return rows, [m.rss_mb for m in workers], [m.rss_mb for m in celery]


def run_notes(
    categories: list[report.Category],
    loads: dict,
    fresh,
    *,
    searched: bool,
    options: argparse.Namespace,
    run_dir: Path,
    stolen: float,
    speeds: tuple[float, float],
) -> list[str]:
    """The remarks under a run's tables: failures, machine load, generator, approvals."""
    failed = [(c.name, c.failure_kinds) for c in categories if c.failure_kinds]
    failed += [
        (name, load.failure_kinds) for name, load in loads.items() if load and load.failure_kinds
    ]
    logs = f"`{(run_dir / 'gunicorn.log').relative_to(ROOT)}`, `gunicorn-shared.log` beside it"
    notes = [
        f"Failed requests, {name}: {kinds} (the server's logs: {logs})." for name, kinds in failed
    ]
    if not searched:
        notes.append(
            f"No search page answered at `{options.search_path}` or `{steps.API_PATH}` "
            "yet: HTTP search figures are missing; SQL figures are the engine's."
        )
    generator = max(load.generator_cpu for load in loads.values() if load)
    return [
        *notes,
        f"Load average {os.getloadavg()[0]:.1f} at the end of the run: other work on the "
        "machine shares its CPUs with the server, PostgreSQL and the clients.",
        f"CPU time stolen by the hypervisor for other machines: {stolen:.0%} of the run "
        "(from /proc/stat; figures from runs with more of it are slower throughout).",
        f"Python speed: `sum(range(10**6))` took {speeds[0]:.1f} ms at the start and "
        f"{speeds[1]:.1f} ms at the end (best of 5; 13 to 20 ms when the machine is quiet, "
        "25 to 32 ms when it ran 2 to 3 times slower).",
        f"The load generator's client processes used {generator:.2f} CPU-seconds per second "
        f"at most, on the same {os.cpu_count()} CPUs as the server and PostgreSQL.",
        f"Approval rounds: {len(fresh.delays)} measured, {fresh.timeouts} timed out (10 s); "
        "the delay runs from the moderator's commit until the therapist's search document "
        "(the row the engine reads) counts the review.",
    ]


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    size = SMALL if options.small else FULL
    duration = options.duration or (5.0 if options.small else 10.0)
    say = Progress()
    ticks_at_start, speed_at_start = cpu_ticks(), python_speed_ms()
    run_dir = ROOT / "instance" / "bench" / size.database
    (run_dir / "mail").mkdir(parents=True, exist_ok=True)
    say(f"logs in {run_dir}")

    prepared = prepare(size, run_dir, reseed=options.reseed, say=say)
    machine = describe_machine(prepared.server_version)
    own_redis = None
    if options.redis_url is None:
        own_redis = start_redis(options.port + 1, run_dir / "redis.log")
        options.redis_url = f"redis://127.0.0.1:{options.port + 1}/0"
    try:
        return run(
            options,
            Setting(
                size, duration, say, run_dir, prepared, machine, ticks_at_start, speed_at_start
            ),
            own_redis,
        )
    finally:
        if own_redis is not None:
            own_redis.stop()


@dataclass(frozen=True)
class Setting:
    """What a run measures on, fixed before its first measurement."""

    size: Size
    duration: float
    say: Progress
    run_dir: Path
    prepared: Prepared
    machine: str
    ticks_at_start: tuple[int, int]
    speed_at_start: float


def run(options: argparse.Namespace, setting: Setting, own_redis: Service | None) -> int:
    """Every step of a run; `own_redis`, when the benchmark started its Redis, is stopped
    for the last row."""
    size, duration, say, run_dir = setting.size, setting.duration, setting.say, setting.run_dir
    prepared, machine = setting.prepared, setting.machine
    ticks_at_start, speed_at_start = setting.ticks_at_start, setting.speed_at_start
    redis.Redis.from_url(options.redis_url).flushdb()  # an earlier run's facet cache
    if options.quick:
        gaps = quick.measure(
            prepared,
            seed=size.seed,
            redis_url=options.redis_url,
            run_dir=run_dir,
            port=options.port,
            say=say,
        )
        print(quick.table(gaps))
        return 0
    queue = f"bench-{os.getpid()}"
    env = steps.server_env(prepared, options.redis_url, queue, run_dir, options.port)

    say("full reindex, nothing else running")
    quiet = steps.reindex(env, run_dir / "reindex.log")
    reindex_text = (
        f"{quiet.finished.seconds:.1f} s for {quiet.documents:,} documents "
        f"(`flask search reindex`, wall time of the command), peak RSS "
        f"{quiet.finished.peak_rss_mb:.0f} MB"
    )
    say(reindex_text)

    engine = owner_engine(prepared.owner_url)
    with engine.connect() as connection:
        searches = query_mix.build_mix(connection, options.per_category, size.seed)
        slugs = query_mix.profile_slugs(connection)
    engine.dispose()

    say("starting a celery worker and gunicorn")
    celery = start_celery(env, queue=queue, concurrency=1, log=run_dir / "celery.log")
    gunicorn = None

    def serve(shared_page_seconds: int, **settings: str):
        return start_gunicorn(
            {**env, "SHARED_PAGE_SECONDS": str(shared_page_seconds), **settings},
            options.port,
            workers=options.workers,
            worker_class=options.worker_class,
            threads=options.threads,
            log=run_dir / ("gunicorn-shared.log" if shared_page_seconds else "gunicorn.log"),
        )

    try:
        say("first pass: gunicorn renders every page")
        gunicorn = serve(0)
        settings = {
            "app_url": prepared.app_url,
            "owner_url": prepared.owner_url,
            "redis_url": options.redis_url,
            "queue": queue,
            "run_dir": run_dir,
        }
        apps = (make_app(**settings, cache=False), make_app(**settings, cache=True))
        search_path = steps.search_target(options.port, options.search_path, say)
        meter = steps.CpuMeter(gunicorn.pid, size.app_role, size.database)
        categories = []
        for name in query_mix.CATEGORIES:
            say(f"{name}: SQL times" + (", then HTTP load" if search_path else ""))
            categories.append(
                steps.measure_category(
                    name,
                    searches[name],
                    apps=apps,
                    search_path=search_path,
                    sql_path=search_path or options.search_path,
                    port=options.port,
                    clients=options.clients,
                    duration=duration,
                    sql_repeats=options.sql_repeats,
                    meter=meter,
                    say=say,
                )
            )
        extra_rows = []
        mixed_paths = steps.interleave(
            [[f"{search_path}?{qs}" for qs in searches[n]] for n in query_mix.CATEGORIES]
        )
        mixed = None
        if search_path:
            say("all searches, mixed: HTTP load")
            mixed = steps.http_load(options.port, mixed_paths, options.clients, duration, meter)
            extra_rows.append(mixed.row(MIXED_ROW))
        say("profile pages: HTTP load")
        profile_paths = [f"/therapists/{slug}" for slug in slugs]
        profile = steps.http_load(options.port, profile_paths, options.clients, duration, meter)
        extra_rows.append(profile.row(PROFILE_ROW))

        api_many = api_one = None
        if searches:
            say("JSON API searches: HTTP load, rate limit off")
            gunicorn.stop()
            gunicorn = None
            gunicorn = serve(0, RATELIMIT_ENABLED="false")
            meter = steps.CpuMeter(gunicorn.pid, size.app_role, size.database)
            api_paths = steps.interleave(
                [[f"{steps.API_PATH}?{qs}" for qs in searches[n]] for n in query_mix.CATEGORIES]
            )
            steps.warm_up(options.port, api_paths[:20])
            api_many = steps.http_load(options.port, api_paths, API_CLIENTS, duration, meter)
            extra_rows.append(api_many.row(f"{API_ROW}, {API_CLIENTS} clients"))
            api_one = steps.http_load(options.port, api_paths, 1, duration, meter)
            extra_rows.append(api_one.row(f"{API_ROW}, 1 client"))

        say("second pass: gunicorn again, with shared pages on")
        gunicorn.stop()
        gunicorn = None
        gunicorn = serve(SHARED_PAGE_SECONDS)
        meter = steps.CpuMeter(gunicorn.pid, size.app_role, size.database)
        shared_categories, shared_rows = [], []
        shared_mixed = None
        if search_path:
            for name in query_mix.CATEGORIES:
                say(f"{name}: HTTP load, shared pages")
                shared_categories.append(
                    steps.measure_http(
                        name,
                        searches[name],
                        search_path,
                        options.port,
                        options.clients,
                        duration,
                        meter,
                    )
                )
            say("all searches, mixed: HTTP load, shared pages")
            steps.warm_up(options.port, mixed_paths)
            shared_mixed = steps.http_load(
                options.port, mixed_paths, options.clients, duration, meter
            )
            shared_rows.append(shared_mixed.row(MIXED_ROW))
        say("profile pages: HTTP load, shared pages")
        steps.warm_up(options.port, profile_paths)
        shared_profile = steps.http_load(
            options.port, profile_paths, options.clients, duration, meter
        )
        shared_rows.append(shared_profile.row(PROFILE_ROW))

        say("the same, as a signed-in visitor comparing two therapists")
        cookie = visitor.signed_in_cookie(apps[1], steps.HOST, options.port, slugs[:2])
        signed_in_mixed = None
        if search_path:
            signed_in_mixed = steps.http_load(
                options.port, mixed_paths, options.clients, duration, meter, cookie
            )
            shared_rows.append(signed_in_mixed.row(MIXED_ROW + SIGNED_IN))
        signed_in_profile = steps.http_load(
            options.port, profile_paths, options.clients, duration, meter, cookie
        )
        shared_rows.append(signed_in_profile.row(PROFILE_ROW + SIGNED_IN))

        say(f"approval to visible in search, {options.approvals} rounds")
        fresh = measure_approvals(apps[1], options.approvals)
        freshness = summarise(fresh.delays)
        rows, gunicorn_rss, celery_rss = memory_rows(gunicorn.pid, celery.pid)

        under_load = None
        if search_path:
            say("search during a second full reindex")
            under_load = steps.reindex_under_load(
                env, run_dir / "reindex-under-load.log", options.port, mixed_paths
            )
            say(under_load.describe())

        redis_stopped = None
        if search_path and own_redis is not None:
            say("all searches, mixed, with Redis stopped")
            own_redis.stop()
            redis_stopped = steps.http_load(
                options.port, mixed_paths, options.clients, duration, meter
            )
            shared_rows.append(redis_stopped.row(REDIS_STOPPED_ROW))
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        celery.stop()

    notes = run_notes(
        categories + shared_categories,
        {
            "all searches, mixed": mixed,
            "profile page": profile,
            "all searches, mixed, shared pages": shared_mixed,
            "profile page, shared pages": shared_profile,
            "all searches, mixed, shared pages" + SIGNED_IN: signed_in_mixed,
            "profile page, shared pages" + SIGNED_IN: signed_in_profile,
            "JSON API searches": api_many,
            "Redis stopped": redis_stopped,
        },
        fresh,
        searched=bool(search_path),
        options=options,
        run_dir=run_dir,
        stolen=stolen_share(ticks_at_start),
        speeds=(speed_at_start, python_speed_ms()),
    )
    figures = report.Figures(
        size_label=f"{size.therapists:,} therapists / {size.reviews:,} reviews",
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine,
        server=describe_server(options),
        clients=options.clients,
        duration=duration,
        search_path=search_path or "n/a",
        seeding=(
            (
                f"{prepared.seeding.seconds:.1f} s this run, peak RSS "
                f"{prepared.seeding.peak_rss_mb:.0f} MB ({size.label()})"
                if prepared.seeding
                else f"reused a database seeded earlier with {size.label()}"
            )
            + f"; then VACUUM (ANALYZE), {prepared.vacuum_seconds:.1f} s (the server's "
            f"autovacuum is {prepared.autovacuum})"
        ),
        reindex=reindex_text,
        categories=categories,
        extra_rows=extra_rows,
        shared_categories=shared_categories,
        shared_extra_rows=shared_rows,
        freshness=(
            f"p50 {freshness.p50:.0f} ms, p95 {freshness.p95:.0f} ms, max "
            f"{freshness.max:.0f} ms over {freshness.count} approvals"
            if freshness
            else "not measured (no pending review of a listed therapist)"
        ),
        reindex_under_load=under_load.describe() if under_load else "",
        memory=rows,
        targets=evaluate(
            Measured(
                categories=categories,
                mixed=mixed.summary if mixed else None,
                profile=profile.summary,
                freshness=freshness,
                reindex_seconds=quiet.finished.seconds,
                gunicorn_rss_mb=gunicorn_rss,
                celery_rss_mb=celery_rss,
                shared_categories=shared_categories,
                shared_mixed=shared_mixed.summary if shared_mixed else None,
                shared_profile=shared_profile.summary,
                signed_in_mixed=signed_in_mixed.summary if signed_in_mixed else None,
                signed_in_profile=signed_in_profile.summary,
                api=api_many.summary if api_many else None,
                api_one=api_one.summary if api_one else None,
                redis_stopped=redis_stopped.summary if redis_stopped else None,
                redis_stopped_failures=redis_stopped.failures if redis_stopped else None,
                under_load=under_load.summary if under_load else None,
            ),
            clients=options.clients,
        ),
        notes=notes,
    )
    block = report.render_block(figures)
    print(block)
    if not options.no_docs:
        key = "small" if options.small else "full"
        document = options.docs.read_text() if options.docs.exists() else "# Benchmarks\n"
        options.docs.write_text(report.place_block(document, key, block, DOC_KEYS))
        say(f"wrote the {key} block of {options.docs.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
