"""`python -m scripts.load`: mixed traffic through the production front door, with Locust.

The whole stack as production runs it, on loopback: nginx (deploy/nginx.conf) in front
of gunicorn (deploy/gunicorn.conf.py) as the application role, a Redis of the run's own
(cache, rate limits, broker), a `celery worker` sending mail to an SMTP server in this
process.  Locust's visitors (scripts/load/locustfile.py) each come from a loopback
address of their own.  Afterwards every review the site acknowledged must be stored and
must have had exactly one confirmation email.  Exits 1 on any failed request (5xx
included) or lost write; the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from directory.demo.accounts import MANAGER, OWNER
from directory.demo.seed import DEMO_PASSWORD
from scripts import front_door
from scripts.bench import mix as query_mix
from scripts.bench import steps
from scripts.bench.database import FULL, SMALL, Size, owner_engine, prepare
from scripts.bench.load import probe
from scripts.bench.processes import ROOT, start_celery, start_redis
from scripts.load.mailbox import CountingMailbox
from scripts.load.results import Outcome, Writes, place, read_failures, read_stats, render

# A few hundred therapists: what CI's one-minute run seeds in seconds.
CI = Size("directory_load_ci", 12, 400, 3_000)
SIZES = {"full": FULL, "small": SMALL, "ci": CI}
MAIL_WAIT_SECONDS = 120
HEADING = "## Mixed traffic through the front door (`make load`)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.load", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--database", help="the database's name (default: the size's own)")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--visitors", type=int, default=60, help="visitors at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="print the figures only")
    parser.add_argument("--run-dir", type=Path, help="logs and Locust's files (default instance/)")
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def searched_documents(owner_url: str) -> int:
    engine = owner_engine(owner_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM search_documents"))
    finally:
        engine.dispose()


def write_plan(owner_url: str, run: str, path: Path) -> dict:
    engine = owner_engine(owner_url)
    try:
        with engine.connect() as connection:
            mix = query_mix.build_mix(connection)
            profiles = query_mix.profile_slugs(connection)
    finally:
        engine.dispose()
    plan = {
        "run": run,
        "searches": [f"/therapists?{q}" for q in steps.interleave(list(mix.values()))],
        "profiles": profiles,
        "accounts": [
            {"email": account.email, "password": DEMO_PASSWORD} for account in (OWNER, MANAGER)
        ],
    }
    path.write_text(json.dumps(plan))
    return plan


def stored_reviews(owner_url: str, run: str) -> set[str]:
    engine = owner_engine(owner_url)
    try:
        with engine.connect() as connection:
            found = connection.scalars(
                sa.text("SELECT reviewer_email FROM reviews WHERE reviewer_email LIKE :run"),
                {"run": f"{run}-%"},
            )
            return set(found)
    finally:
        engine.dispose()


def wait_for_mail(mailbox: CountingMailbox, addresses: set[str]) -> None:
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline and len(mailbox.count(addresses)) < len(addresses):
        time.sleep(0.5)


def run_locust(options, https_port: int, run_dir: Path, plan_path: Path, submitted: Path):
    seconds = max(10, round(options.minutes * 60))
    args = [
        *(sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "load" / "locustfile.py")),
        *("--headless", "--users", str(options.visitors)),
        *("--spawn-rate", str(max(1, options.visitors // 10)), "--run-time", f"{seconds}s"),
        *("--host", f"https://127.0.0.1:{https_port}", "--csv", str(run_dir / "locust")),
        *("--stop-timeout", "15", "--only-summary", "--loglevel", "WARNING"),
    ]
    env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_SUBMITTED": str(submitted)}
    with (run_dir / "locust.log").open("w") as log:
        return subprocess.run(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    size = SIZES[options.size]
    if options.database:
        size = replace(size, database=options.database)
    run_dir = options.run_dir or ROOT / "instance" / "load" / size.database
    run_dir.mkdir(parents=True, exist_ok=True)
    say(f"logs in {run_dir}")
    prepared = prepare(size, run_dir, reseed=False, say=say)
    app_port, https_port, http_port, redis_port, smtp_port = free_ports(5)
    redis = start_redis(redis_port, run_dir / "redis.log")
    mailbox = CountingMailbox(smtp_port)
    mailbox.start()
    processes: list[subprocess.Popen] = []
    celery = None
    try:
        env = steps.server_env(prepared, f"redis://127.0.0.1:{redis_port}/0", "load", run_dir, 0)
        env.update(
            MAIL_URL=mailbox.url,
            BASE_URL=f"https://localhost:{https_port}",
            TRUSTED_PROXY_COUNT="1",
            GUNICORN_BIND=f"127.0.0.1:{app_port}",
            WEB_CONCURRENCY=str(options.workers),
        )
        if searched_documents(prepared.owner_url) == 0:
            say("search reindex (the index is empty)")
            steps.reindex(env, run_dir / "reindex.log")
        run = f"load-{secrets.token_hex(4)}"
        plan_path, submitted = run_dir / "plan.json", run_dir / "submitted.txt"
        submitted.write_text("")
        plan = write_plan(prepared.owner_url, run, plan_path)
        say(f"{len(plan['searches'])} searches, {len(plan['profiles'])} profiles in the plan")

        celery = start_celery(env, queue="load", concurrency=1, log=run_dir / "celery.log")
        main_config = front_door.write_nginx_config(
            run_dir, front_door.Ports(https_port, http_port, app_port), connections=1024
        )
        with (run_dir / "gunicorn.log").open("w") as log:
            processes.append(front_door.start_gunicorn(env, log))
        with (run_dir / "nginx.log").open("w") as log:
            processes.append(front_door.start_nginx(main_config, log))
        deadline = time.monotonic() + 60
        while probe("127.0.0.1", app_port, "/health/ready") != 200:
            if time.monotonic() > deadline or processes[0].poll() is not None:
                raise RuntimeError(f"gunicorn did not start: see {run_dir / 'gunicorn.log'}")
            time.sleep(0.3)

        say(f"{options.visitors} visitors for {options.minutes:g} min through nginx")
        started = time.monotonic()
        locust = run_locust(options, https_port, run_dir, plan_path, submitted)
        say(f"Locust finished ({locust.returncode}) after {time.monotonic() - started:.0f} s")
        acknowledged = set(submitted.read_text().split())
        wait_for_mail(mailbox, acknowledged)
        rows, total = read_stats(run_dir / "locust")
        outcome = Outcome(
            rows,
            total,
            read_failures(run_dir / "locust"),
            Writes(
                acknowledged,
                stored_reviews(prepared.owner_url, run),
                mailbox.count(acknowledged | stored_reviews(prepared.owner_url, run)),
            ),
        )
        for process in processes:
            if process.poll() is not None:
                outcome.notes.append(f"{process.args[0]} exited during the run")
    finally:
        front_door.stop(*reversed(processes))
        if celery is not None:
            celery.stop()
        mailbox.stop()
        redis.stop()

    setting = (
        f"{datetime.now(UTC):%Y-%m-%d}, {size.label()}, {options.visitors} visitors for "
        f"{options.minutes:g} min, gunicorn {options.workers} workers x 4 threads behind "
        f"nginx, one celery worker, {os.cpu_count()} CPUs shared with Locust and PostgreSQL"
    )
    block = render(outcome, setting)
    print(block)
    if not options.no_docs:
        options.docs.write_text(place(options.docs.read_text(), block, HEADING))
        say(f"figures written to {options.docs.relative_to(ROOT)}")
    return 0 if outcome.clean and locust.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
