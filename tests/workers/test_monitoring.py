"""The worker's account of each task run: counted by outcome, timed, and logged on one line
with the task, its outbox row and attempt (through Celery's own signals, no worker)."""

from __future__ import annotations

import logging
import re
import uuid
from urllib.request import urlopen

import pytest
from celery import signals, states
from prometheus_client import REGISTRY

from directory.core.mail import SEND_EMAIL_TASK
from tests.support import free_port
from workers import monitoring


def runs(task: str, outcome: str) -> float:
    labels = {"task": task, "outcome": outcome}
    return REGISTRY.get_sample_value("directory_task_runs_total", labels) or 0.0


def timings(task: str) -> float:
    labels = {"task": task}
    return REGISTRY.get_sample_value("directory_task_duration_seconds_count", labels) or 0.0


@pytest.fixture
def send_email(make_app):
    app = make_app(LOG_LEVEL="INFO")
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    with app.app_context():
        yield celery.tasks[SEND_EMAIL_TASK]


def task_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if "[workers.tasks]" in line]


def test_a_task_run_is_counted_timed_and_logged_with_its_outbox_row(send_email, capsys):
    before, timed = runs(SEND_EMAIL_TASK, "success"), timings(SEND_EMAIL_TASK)
    capsys.readouterr()

    send_email.apply(args=[424242])  # Celery's own tracer: no such row, nothing to send

    assert runs(SEND_EMAIL_TASK, "success") == before + 1
    assert timings(SEND_EMAIL_TASK) == timed + 1
    [line] = task_lines(capsys)
    assert " INFO [workers.tasks] task run " in line
    assert "task=emails.send" in line
    assert "outbox_id=424242 attempt=1" in line
    assert "outcome=success" in line
    assert re.search(r"duration_ms=[0-9.]+", line)


def test_records_made_during_a_run_carry_the_task(send_email, capsys):
    def log_inside(**_):
        logging.getLogger("tests.inside").warning("working")

    signals.task_prerun.connect(log_inside, weak=False)  # after monitoring's own receiver
    try:
        send_email.apply(args=[7])
    finally:
        signals.task_prerun.disconnect(log_inside)
    [line] = [line for line in capsys.readouterr().err.splitlines() if "[tests.inside]" in line]
    assert "task=emails.send" in line
    assert "outbox_id=7 attempt=1" in line


@pytest.mark.parametrize(
    ("state", "outcome", "level"),
    [(states.FAILURE, "failure", "WARNING"), (states.RETRY, "retry", "INFO")],
)
def test_failures_and_retries_are_counted_by_outcome(send_email, capsys, state, outcome, level):
    before = runs(SEND_EMAIL_TASK, outcome)
    capsys.readouterr()
    task_id = uuid.uuid4().hex
    run = {"sender": send_email, "task_id": task_id, "task": send_email, "args": [9], "kwargs": {}}

    signals.task_prerun.send(**run)
    signals.task_postrun.send(**run, retval=ConnectionRefusedError("smtp"), state=state)

    assert runs(SEND_EMAIL_TASK, outcome) == before + 1
    [line] = task_lines(capsys)
    assert f" {level} [workers.tasks] task run " in line
    assert f"outcome={outcome}" in line
    assert "error=ConnectionRefusedError" in line


def test_the_worker_serves_its_metrics_over_http(send_email):
    send_email.apply(args=[1])
    port = free_port()
    server, thread = monitoring.serve_metrics(port, "127.0.0.1")
    try:
        with urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            body = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert 'directory_task_runs_total{outcome="success",task="emails.send"}' in body


def test_the_worker_keeps_the_apps_logging_and_may_only_make_it_more_detailed():
    root = logging.getLogger()
    level = root.level
    try:
        root.setLevel(logging.INFO)
        monitoring.keep_app_logging(loglevel=logging.WARNING)  # celery worker's default
        assert root.level == logging.INFO
        monitoring.keep_app_logging(loglevel="DEBUG")
        assert root.level == logging.DEBUG
    finally:
        root.setLevel(level)
    # A receiver of setup_logging is what stops Celery from replacing the app's logging.
    assert any(r is monitoring.keep_app_logging for _, r in signals.setup_logging.receivers)
