"""A burst of 1,000 guest reviews against gunicorn and two celery workers: every review is
stored and every verification email is sent exactly once."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

import pytest
import redis
import sqlalchemy as sa

from directory.core.outbox import OutboxMessage, OutboxState
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews.models import Review
from tests.factories import create_clinic, create_therapist
from tests.reviews.test_writing import review_form
from tests.support import ROOT, CeleryWorker, free_port, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.worker]
REVIEWS = 1000
CLIENTS = 8
TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
FORM = "/therapists/john-wintertime/reviews/new"


class Visitor:
    """One browser-like client: keep-alive, its own session cookie and CSRF token."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text

    def review(self, email: str) -> int:
        if not self.token:
            _status, page = self.request("GET", FORM)
            self.token = TOKEN.search(page).group(1)
        form = review_form(email=email, csrf_token=self.token)
        status, _text = self.request("POST", FORM, urlencode(form))
        return status


@pytest.fixture
def stack(make_app, database_url, redis_url, smtp_server, tmp_path):
    """gunicorn (2 gthread workers) and two celery workers, as production runs them; the
    port gunicorn listens on."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex}:",
        "MAIL_URL": smtp_server.url,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        # One address sends every review here; the limits are tested elsewhere.
        "RATELIMIT_ENABLED": "false",
    }
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=redis_url, CELERY_QUEUE=queue)
    with app.app_context():
        act_for_all_clinics()
        create_therapist(create_clinic(), name="John Wintertime", slug="john-wintertime")
        db.session.commit()
    workers = [CeleryWorker(env, queue, tmp_path / f"worker-{n}.log") for n in range(2)]
    for worker in workers:
        worker.start()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "directory:create_app()",
        ],
        cwd=ROOT,
        env={**os.environ, "APP_ENV": "local", "CELERY_QUEUE": queue, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: _answers(port), 60, "gunicorn to answer")
        with app.app_context():
            act_for_all_clinics()  # the test reads every clinic's reviews
            yield port
            db.session.remove()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        for worker in workers:
            worker.stop()
        redis.Redis.from_url(redis_url).delete(queue)


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def test_a_burst_of_reviews_is_stored_and_each_email_sent_exactly_once(stack, smtp_server):
    port = stack
    emails = [f"burst-{n}@example.org" for n in range(REVIEWS)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client(share: list[str]) -> None:
        visitor = Visitor(port)
        try:
            for email in share:
                status = visitor.review(email)
                with lock:
                    statuses[status] += 1
        finally:
            visitor.connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(emails[n::CLIENTS],)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    submitted = time.monotonic() - started
    assert statuses == {200: REVIEWS}

    wait_until(lambda: len(smtp_server.messages) >= REVIEWS, 300, "every email", interval=0.5)
    last_email = time.monotonic() - started
    time.sleep(2)  # room for a duplicate to show up
    sent_to = Counter(message["To"] for message in smtp_server.messages)
    assert sent_to == Counter({email: 1 for email in emails})
    db.session.rollback()
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(Review))
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state != OutboxState.DONE)
    )
    assert (stored, waiting) == (REVIEWS, 0)
    print(f"burst: {REVIEWS} reviews in {submitted:.1f} s; last email {last_email:.1f} s")
