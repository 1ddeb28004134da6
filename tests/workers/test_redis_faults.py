"""Submissions survive Redis: with the Redis that is broker, cache and rate-limit store
stopped, or hung (SIGSTOP), a guest review answers at once, is stored, and its email
arrives exactly once after Redis returns; search and profile pages answer 200."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from directory.core import outbox
from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews.models import Review
from tests.factories import create_clinic, create_therapist
from tests.reviews.test_writing import review_form
from tests.support import CeleryWorker, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.worker]
PROFILE = "/therapists/john-wintertime"


@pytest.fixture
def site(make_app, database_url, private_redis, smtp_server, tmp_path):
    """The app as production runs it (Redis for the broker, caches and rate limits, a
    real worker), on a Redis the test may stop or hang."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    app = make_app(
        REDIS_URL=private_redis.url,
        CELERY_BROKER_URL=private_redis.url,
        CELERY_EAGER=False,
        CELERY_QUEUE=queue,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=private_redis.url,
        SHARED_PAGE_SECONDS=300,
        SEARCH_CACHE_SECONDS=300,
        MAIL_URL=smtp_server.url,
        OUTBOX_REDISPATCH_AFTER_SECONDS=1,
    )
    worker = CeleryWorker(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": private_redis.url,
            "MAIL_URL": smtp_server.url,
            "INSTANCE_DIR": str(tmp_path / "worker-instance"),
            "BASE_URL": "http://localhost",
        },
        queue,
        tmp_path / "worker.log",
    )
    worker.start()
    with app.app_context():
        create_therapist(create_clinic(), name="John Wintertime", slug="john-wintertime")
        db.session.commit()
        yield app
        db.session.remove()
    worker.stop()


def submit(client, email: str) -> float:
    """A guest review; asserts it was accepted and returns how long the answer took."""
    started = time.monotonic()
    response = client.post(f"{PROFILE}/reviews/new", data=review_form(email=email))
    seconds = time.monotonic() - started
    assert response.status_code == 200, response.status_code
    assert b"We emailed" in response.data
    return seconds


def stored(email: str) -> bool:
    db.session.rollback()
    return db.session.scalar(sa.select(Review).where(Review.reviewer_email == email)) is not None


def delivered_once(smtp_server, email: str) -> None:
    """Beat's sweep runs (as if its delay had passed); the email arrives, and only once."""
    wait_until(
        lambda: (
            outbox.redispatch_stale(now=utcnow() + timedelta(minutes=5)) >= 0
            and [m for m in smtp_server.messages if m["To"] == email]
        ),
        60,
        f"the email to {email}",
        interval=1.0,
    )
    time.sleep(1.5)  # room for a duplicate to show up
    assert [m["To"] for m in smtp_server.messages].count(email) == 1


def pages_answer(client) -> None:
    for path in (PROFILE, "/therapists?q=john", "/api/v1/therapists?q=john"):
        assert client.get(path).status_code == 200, path


def test_a_guest_review_lands_while_redis_is_stopped_and_its_email_follows(
    site, private_redis, smtp_server
):
    client = site.test_client()
    submit(client, "before@example.org")
    wait_until(lambda: smtp_server.messages, 60, "the first email, Redis up")

    private_redis.stop()
    assert submit(client, "stopped@example.org") < 1.0
    assert stored("stopped@example.org")
    pages_answer(client)

    private_redis.start()
    delivered_once(smtp_server, "stopped@example.org")
    pages_answer(client)


def test_a_guest_review_lands_while_redis_is_hung_and_its_email_follows(
    site, private_redis, smtp_server
):
    client = site.test_client()
    submit(client, "before@example.org")
    wait_until(lambda: smtp_server.messages, 60, "the first email, Redis up")

    private_redis.hang()
    try:
        assert submit(client, "hung@example.org") < 1.0
        assert stored("hung@example.org")
        pages_answer(client)
    finally:
        private_redis.resume()
    delivered_once(smtp_server, "hung@example.org")
