"""Email delivery at least once: a claim is a lease a later run takes over when its run
died, the Message-ID is the same on every attempt, and "sent" is recorded apart from the
send, retried on its own, never by sending again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import OperationalError

from directory.core import mail, outbox
from directory.core.mail import SentEmail, SentEmailState, deliver, message_id_for, queue_email
from directory.core.models import utcnow
from directory.extensions import db


@pytest.fixture
def queued(make_app, smtp_server):
    """A pending email job (not yet delivered) on an app that sends through real SMTP."""
    app = make_app(MAIL_URL=smtp_server.url, CELERY_EAGER=False, CELERY_BROKER_URL="memory://")
    with app.app_context():
        message = queue_email("ann@example.com", "verify_account", "Hi", user={}, link="x")
        db.session.commit()
        yield message.id
        db.session.remove()


def claim(outbox_id: int, age: timedelta) -> None:
    """A claim left `sending` by a run that started `age` ago."""
    at = utcnow() - age
    db.session.add(
        SentEmail(
            outbox_id=outbox_id,
            to_address="ann@example.com",
            subject="Hi",
            template="verify_account",
            created_at=at,
            claimed_at=at,
        )
    )
    db.session.commit()


def state_of(outbox_id: int) -> tuple[str, str]:
    db.session.expire_all()
    row = db.session.get(outbox.OutboxMessage, outbox_id)
    sent = db.session.scalar(sa.select(SentEmail.state).where(SentEmail.outbox_id == outbox_id))
    return row.state, sent


def test_a_live_claim_is_left_to_its_run(queued, smtp_server):
    claim(queued, age=timedelta(seconds=5))
    assert deliver(queued) is False
    assert smtp_server.messages == []
    assert state_of(queued) == (outbox.OutboxState.PENDING, SentEmailState.SENDING)


def test_a_claim_older_than_its_lease_is_taken_over_and_sent_once(queued, smtp_server):
    lease = current_app.config["EMAIL_CLAIM_LEASE_SECONDS"]
    claim(queued, age=timedelta(seconds=lease + 1))
    assert deliver(queued) is True
    assert deliver(queued) is False  # done now
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["Message-ID"] == message_id_for(queued)
    assert state_of(queued) == (outbox.OutboxState.DONE, SentEmailState.SENT)


def test_the_message_id_is_the_outbox_rows_on_every_attempt(queued):
    assert message_id_for(queued) == message_id_for(queued) == f"<outbox-{queued}@localhost>"


def test_a_failed_send_releases_the_claim_for_the_retry(queued, smtp_server):
    smtp_server.stop()
    with pytest.raises(OSError):
        deliver(queued)
    assert state_of(queued) == (outbox.OutboxState.PENDING, None)


def test_recording_sent_is_retried_alone_when_the_database_fails(queued, smtp_server, monkeypatch):
    real_mark_done = outbox.mark_done
    failures = iter([True, True])

    def flaky_mark_done(message_id):
        if next(failures, False):
            raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))
        return real_mark_done(message_id)

    monkeypatch.setattr(outbox, "mark_done", flaky_mark_done)
    assert deliver(queued) is True
    assert len(smtp_server.wait_for(1)) == 1
    assert state_of(queued) == (outbox.OutboxState.DONE, SentEmailState.SENT)


def test_a_sent_email_that_could_not_be_recorded_is_recorded_later_never_resent(
    queued, smtp_server, monkeypatch
):
    current_app.config["MAIL_RECORD_RETRY_SECONDS"] = 0.3

    def down(message_id):
        raise OperationalError("UPDATE outbox", {}, Exception("the database is down"))

    monkeypatch.setattr(outbox, "mark_done", down)
    with pytest.raises(mail.SentButNotRecorded):
        deliver(queued)
    monkeypatch.undo()
    assert state_of(queued) == (outbox.OutboxState.PENDING, SentEmailState.SENDING)
    assert deliver(queued, already_sent=True) is False  # records, sends nothing
    assert len(smtp_server.wait_for(1)) == 1
    assert len(smtp_server.messages) == 1
    assert state_of(queued) == (outbox.OutboxState.DONE, SentEmailState.SENT)
