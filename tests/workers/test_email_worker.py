"""A real `celery worker` on Redis delivers an email through a real SMTP server, once."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from directory.core.mail import SEND_EMAIL_TASK, SentEmail, queue_email
from directory.core.outbox import OutboxMessage, OutboxState
from directory.extensions import db
from tests.factories import create_user
from tests.support import CeleryWorker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(database_url, redis_url, smtp_server, tmp_path):
    """A celery worker process reading its own queue, configured only by environment."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MAIL_URL": smtp_server.url,
        "INSTANCE_DIR": str(tmp_path / "worker-instance"),
        "BASE_URL": "http://localhost",
    }
    process = CeleryWorker(env, queue, tmp_path / "worker.log")
    process.start()
    yield queue
    process.stop()
    redis.Redis.from_url(redis_url).delete(queue)


def test_a_worker_sends_the_verification_email_once(make_app, worker, redis_url, smtp_server):
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=worker)
    client = app.test_client()
    password = "a long password"
    response = client.post(
        "/register",
        data={
            "display_name": "Wen",
            "email": "wen@example.com",
            "password": password,
            "confirm": password,
        },
    )
    assert response.status_code == 302

    messages = smtp_server.wait_for(1, timeout=60)
    assert len(messages) == 1
    assert messages[0]["To"] == "wen@example.com"
    assert "/account/verify/" in messages[0].get_body(("plain",)).get_content()

    with app.app_context():
        # The worker acknowledges just after the SMTP server has the message.
        deadline = time.monotonic() + 20
        while True:
            db.session.rollback()
            row = db.session.scalar(sa.select(OutboxMessage))
            if row.state == OutboxState.DONE or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert row.state == OutboxState.DONE
        # The same job delivered again (a broker redelivery, the sweep) sends nothing more.
        # A solo worker runs jobs in order, so once the marker email arrives the duplicate
        # has been handled.
        app.extensions["celery"].send_task(SEND_EMAIL_TASK, args=[row.id])
        queue_email("marker@example.com", "verify_account", "Marker", user={}, link="x")
        db.session.commit()
        messages = smtp_server.wait_for(2, timeout=30)
        assert [m["To"] for m in messages] == ["wen@example.com", "marker@example.com"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SentEmail)) == 2
        db.session.remove()


def test_a_worker_answers_a_password_reset_with_one_email(make_app, worker, redis_url, smtp_server):
    """The request queues a job; the worker decides the answer and sends it, once."""
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=worker)
    with app.app_context():
        create_user("reset.me@example.com")
        db.session.commit()
    client = app.test_client()
    for email in ("reset.me@example.com", "nobody@example.com"):
        assert client.post("/forgot-password", data={"email": email}).status_code == 302

    messages = smtp_server.wait_for(2, timeout=60)
    by_address = {m["To"]: m.get_body(("plain",)).get_content() for m in messages}
    assert len(messages) == 2
    assert "/reset-password/" in by_address["reset.me@example.com"]
    assert "/reset-password/" not in by_address["nobody@example.com"]
    assert "/register" in by_address["nobody@example.com"]
