"""A database outage says 503 and loses nothing: with a private PostgreSQL cluster stopped,
pages and the API answer 503 with Retry-After (never the generic 500), and once it is back
every answer is 200 again, with no process restarted and no committed review lost; an
email sent just before the database went away is recorded once it is back, never resent."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestConfig
from directory import create_app
from directory.core.mail import SentEmail, SentEmailState, queue_email
from directory.core.outbox import OutboxMessage, OutboxState
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews.models import Review
from tests import support
from tests.factories import create_clinic, create_therapist
from tests.reviews.test_writing import review_form

pytestmark = pytest.mark.postgres
PROFILE = "/therapists/john-wintertime"
PAGES = ("/", "/therapists?q=massage", PROFILE, "/transparency")


@pytest.fixture
def outage_app(private_postgres, tmp_path):
    owner_url = private_postgres.url
    settings = {
        "DATABASE_OWNER_URL": owner_url,
        "INSTANCE_DIR": str(tmp_path),
        "MAIL_URL": f"file://{tmp_path / 'mail'}",
        "BASE_URL": "http://localhost",
        "DATABASE_CONNECT_TIMEOUT_SECONDS": 2,
    }
    owner = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=owner_url, **settings)
    with owner.app_context():
        upgrade()
        db.engine.dispose()
    _role, app_url = support.create_test_app_role(owner_url)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app_url, **settings)
    support.isolate_request_scope(app)
    with app.app_context():
        act_for_all_clinics()
        create_therapist(create_clinic(), name="John Wintertime", slug="john-wintertime")
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def reviews() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(Review.title).order_by(Review.id)))


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_pages_say_503_while_postgresql_is_down_and_recover_alone(outage_app, private_postgres):
    client = outage_app.test_client()
    before = client.post(f"{PROFILE}/reviews/new", data=review_form(title="Before the outage"))
    assert before.status_code == 200
    assert reviews() == ["Before the outage"]
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    db.session.remove()

    private_postgres.stop()
    try:
        for path in PAGES:
            response, seconds = timed(lambda path=path: client.get(path))
            assert response.status_code == 503, path
            assert response.headers["Retry-After"].isdigit()
            assert "briefly unavailable" in response.get_data(as_text=True)
            assert seconds < 10, path
        api, _ = timed(lambda: client.get("/api/v1/therapists?q=massage"))
        assert api.status_code == 503 and api.headers["Retry-After"]
        assert api.get_json()["error"]["status"] == 503
        during = client.post(
            f"{PROFILE}/reviews/new", data=review_form(title="During", email="d@example.org")
        )
        assert during.status_code == 503
    finally:
        private_postgres.start()

    for path in PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/therapists?q=massage").status_code == 200
    after = client.post(
        f"{PROFILE}/reviews/new", data=review_form(title="After", email="a@example.org")
    )
    assert after.status_code == 200
    assert reviews() == ["Before the outage", "After"]


def test_the_database_down_between_the_send_and_its_record_sends_once_and_the_job_is_done(
    outage_app, private_postgres, smtp_server
):
    """The server accepts the message, then PostgreSQL stops before "sent" is written: the
    worker keeps trying to record it (never sending again) until the database is back."""
    outage_app.config.update(MAIL_URL=smtp_server.url, MAIL_RECORD_RETRY_SECONDS=30)
    message = queue_email("ann@example.com", "verify_account", "Confirm", user={}, link="x")
    message_id = message.id
    restarted = threading.Event()

    def stop_the_database(_message) -> None:
        private_postgres.stop()
        threading.Timer(2.0, lambda: (private_postgres.start(), restarted.set())).start()

    smtp_server.on_message = stop_the_database
    db.session.commit()  # the relay delivers in-process: send, database gone, record later
    assert restarted.wait(30)
    assert len(smtp_server.wait_for(1)) == 1
    db.session.rollback()
    row = db.session.get(OutboxMessage, message_id)
    claim = db.session.scalar(sa.select(SentEmail).where(SentEmail.outbox_id == message_id))
    assert (row.state, claim.state) == (OutboxState.DONE, SentEmailState.SENT)
    assert len(smtp_server.messages) == 1
