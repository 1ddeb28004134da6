"""What the worker tells operators about each task run: one log line and two metrics.

Celery signals drive it.  When a task starts (`task_prerun`), its name, id, attempt and
outbox row (a task whose first parameter is `outbox_id`) are bound to every log record
the run makes; when it ends (`task_postrun`), one line says how it went (outcome:
success, failure or retry; duration in ms), and the run is counted by task and outcome,
its duration observed by task.  The signals fire for eager runs as well.

`celery -A workers worker` serves the metrics on WORKER_METRICS_PORT when that is set.
The default (prefork) pool runs tasks in child processes: their numbers reach the server
only through prometheus-client's multiprocess mode, so set PROMETHEUS_MULTIPROC_DIR (an
empty folder of the worker's own) for it, or run `--pool threads` / `--pool solo`.

The worker keeps the logging that create_app() set up (core/logs.py): a receiver of
`setup_logging` stops Celery from replacing it.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import time
from contextvars import Token
from dataclasses import dataclass
from typing import Any

from celery import Task, signals, states
from flask import Flask
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from directory.core import logs

log = logging.getLogger("workers.tasks")

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
OUTCOMES = {states.SUCCESS: "success", states.FAILURE: "failure", states.RETRY: "retry"}

TASK_RUNS = Counter(
    "directory_task_runs",
    "Task runs by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "directory_task_duration_seconds",
    "Time a task run took, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)


@dataclass(frozen=True)
class _Run:
    started: float
    fields: Token


_runs: dict[str, _Run] = {}  # task id -> the run under way


def install(flask_app: Flask) -> None:
    """Connect the signal handlers (once per process, however often it is called)."""
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="monitoring.started")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="monitoring.finished")
    signals.setup_logging.connect(keep_app_logging, weak=False, dispatch_uid="monitoring.logs")
    port = flask_app.config["WORKER_METRICS_PORT"]
    if port:
        address = flask_app.config["WORKER_METRICS_ADDRESS"]

        def serve(sender: Any = None, **_: Any) -> None:
            serve_metrics(port, address, pool=getattr(sender, "pool_cls", None))

        signals.worker_init.connect(serve, weak=False, dispatch_uid="monitoring.serve")


def task_started(task_id: str, task: Task, args: Any = (), kwargs: Any = None, **_: Any) -> None:
    fields: dict[str, Any] = {"task": task.name, "task_id": task_id}
    outbox_id = _outbox_id(task, args or (), kwargs or {})
    if outbox_id is not None:
        fields["outbox_id"] = outbox_id
    fields["attempt"] = (task.request.retries or 0) + 1
    _runs[task_id] = _Run(time.perf_counter(), logs.bind(**fields))


def task_finished(
    task_id: str, task: Task, state: str | None = None, retval: Any = None, **_: Any
) -> None:
    run = _runs.pop(task_id, None)
    if run is None:
        return
    seconds = time.perf_counter() - run.started
    outcome = OUTCOMES.get(state or "", str(state).lower())
    TASK_RUNS.labels(task.name, outcome).inc()
    TASK_SECONDS.labels(task.name).observe(seconds)
    details: dict[str, Any] = {"outcome": outcome, "duration_ms": round(seconds * 1000, 1)}
    if outcome != "success" and isinstance(retval, BaseException):
        cause = getattr(retval, "exc", None) or retval  # a Retry carries the error behind it
        details["error"] = type(cause).__name__
    log.log(logging.WARNING if outcome == "failure" else logging.INFO, "task run", extra=details)
    # A token from another context cannot be reset (never so in Celery's own tracer).
    with contextlib.suppress(ValueError):
        logs.unbind(run.fields)


def _outbox_id(task: Task, args: Any, kwargs: dict[str, Any]) -> int | None:
    try:
        arguments = inspect.signature(task.run).bind_partial(*args, **kwargs).arguments
    except (TypeError, ValueError):
        return None
    value = arguments.get("outbox_id")
    return value if isinstance(value, int) else None


def keep_app_logging(loglevel: int | str | None = None, **_: Any) -> None:
    """Leave create_app()'s logging in place; `--loglevel` may only make it more detailed."""
    if loglevel is None:
        return
    level = logging.getLevelName(loglevel) if isinstance(loglevel, str) else loglevel
    root = logging.getLogger()
    if isinstance(level, int) and level < root.getEffectiveLevel():
        root.setLevel(level)


def serve_metrics(port: int, address: str, pool: Any = None) -> tuple[Any, Any]:
    """Serve the task metrics over HTTP from this (the worker's main) process, in a daemon
    thread; returns (server, thread)."""
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
        if pool is not None and "prefork" in getattr(pool, "__module__", ""):
            log.warning(
                "worker metrics: tasks run in child processes, whose numbers this server "
                "cannot see; set %s or use --pool threads",
                MULTIPROCESS_DIR_VARIABLE,
            )
    served = start_http_server(port, addr=address, registry=registry)
    log.info("worker metrics on http://%s:%s/metrics", address, port)
    return served
