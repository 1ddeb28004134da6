"""Emails survive a dead worker and a dead SMTP server: real `celery worker` processes on
Redis, SIGKILLed mid-send, and a real SMTP server on loopback that holds its answer,
drops a message or is not there at all."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from directory.core import outbox
from directory.core.mail import SentEmail, message_id_for, queue_email
from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage, OutboxState
from directory.extensions import db
from tests.support import CeleryWorker, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.worker]
LEASE_SECONDS = 3


@pytest.fixture
def jobs(make_app, database_url, redis_url, smtp_server, tmp_path):
    """(the app, a function that starts a worker on the app's queue): both send email
    through `smtp_server`, with short leases and quick retries."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    prefix = f"test-{uuid.uuid4().hex}:"
    settings = {
        "EMAIL_CLAIM_LEASE_SECONDS": LEASE_SECONDS,
        "TASK_TIME_LIMIT_SECONDS": LEASE_SECONDS - 1,
        "TASK_MAX_RETRIES": 2,
        "TASK_RETRY_BACKOFF_SECONDS": 0.2,
        "MAIL_TIMEOUT_SECONDS": 30,
        "MAIL_URL": smtp_server.url,
    }
    app = make_app(
        CELERY_EAGER=False,
        CELERY_BROKER_URL=redis_url,
        CELERY_QUEUE=queue,
        OUTBOX_REDISPATCH_AFTER_SECONDS=1,
        **settings,
    )
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": prefix,
        "INSTANCE_DIR": str(tmp_path / "worker-instance"),
        "BASE_URL": "http://localhost",
        **{name: str(value) for name, value in settings.items()},
    }
    workers: list[CeleryWorker] = []

    def start_worker() -> CeleryWorker:
        worker = CeleryWorker(env, queue, tmp_path / f"worker-{len(workers)}.log")
        worker.start()
        workers.append(worker)
        return worker

    with app.app_context():
        yield app, start_worker
        db.session.remove()
    for worker in workers:
        worker.stop()
    redis.Redis.from_url(redis_url).delete(queue)


def queue_one(to: str = "ann@example.com") -> int:
    message = queue_email(to, "verify_account", "Confirm", user={"display_name": "Ann"}, link="x")
    db.session.commit()  # the relay hands it to the broker
    return message.id


def job_state(message_id: int) -> str:
    db.session.rollback()
    return db.session.get(OutboxMessage, message_id).state


def sweep() -> int:
    """What beat does every minute, as if the redispatch delay had passed."""
    return outbox.redispatch_stale(now=utcnow() + timedelta(minutes=5))


def test_a_worker_killed_mid_send_loses_nothing_the_next_worker_sends_it_once(jobs, smtp_server):
    _app, start_worker = jobs
    smtp_server.hold(keep=False)  # the server drops the message when its client vanishes
    first = start_worker()
    message_id = queue_one()
    wait_until(smtp_server.arrived.is_set, 60, "the message to reach the SMTP server")
    first.kill()
    smtp_server.release()
    assert smtp_server.messages == []

    start_worker()
    time.sleep(LEASE_SECONDS + 0.5)  # the dead run's claim lapses
    assert sweep() == 1
    wait_until(lambda: job_state(message_id) == OutboxState.DONE, 60, "the job to be done")
    time.sleep(1)  # room for a duplicate to show up
    assert [m["To"] for m in smtp_server.messages] == ["ann@example.com"]
    assert smtp_server.messages[0]["Message-ID"] == message_id_for(message_id)


def test_a_worker_killed_after_the_server_accepted_sends_at_most_twice_and_the_job_is_done(
    jobs, smtp_server
):
    _app, start_worker = jobs
    smtp_server.hold(keep=True)  # accepted, but the answer never reaches the worker
    first = start_worker()
    message_id = queue_one()
    wait_until(smtp_server.arrived.is_set, 60, "the message to reach the SMTP server")
    first.kill()
    smtp_server.release()

    start_worker()
    time.sleep(LEASE_SECONDS + 0.5)
    sweep()
    wait_until(lambda: job_state(message_id) == OutboxState.DONE, 60, "the job to be done")
    time.sleep(1)
    assert 1 <= len(smtp_server.messages) <= 2
    # A repeat is recognisable: the same Message-ID, from the outbox row.
    assert {m["Message-ID"] for m in smtp_server.messages} == {message_id_for(message_id)}
    assert job_state(message_id) == OutboxState.DONE  # never failed


def test_smtp_down_past_the_retries_makes_a_dead_letter_that_jobs_retry_sends_once(
    jobs, smtp_server
):
    app, start_worker = jobs
    smtp_server.stop()  # nothing listens on its port
    start_worker()
    message_id = queue_one("late@example.com")
    wait_until(lambda: job_state(message_id) == OutboxState.FAILED, 60, "a dead letter")
    row = db.session.get(OutboxMessage, message_id)
    assert row.attempts == 3  # the first run and two retries
    assert "ConnectionRefusedError" in row.last_error and row.last_attempt_at
    status = app.test_cli_runner().invoke(args=["jobs", "status"])
    assert "Dead letters: 1" in status.output and "ConnectionRefusedError" in status.output

    smtp_server.start()
    retried = app.test_cli_runner().invoke(args=["jobs", "retry", str(message_id)])
    assert f"Re-queued 1 job(s): [{message_id}]" in retried.output, retried.output
    wait_until(lambda: job_state(message_id) == OutboxState.DONE, 60, "the retried job")
    time.sleep(1)
    assert [m["To"] for m in smtp_server.messages] == ["late@example.com"]
    sent = db.session.scalar(sa.select(sa.func.count()).select_from(SentEmail))
    assert sent == 1
