"""The transactional outbox: jobs leave only after commit, once, and stale ones are resent."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from directory.core import outbox
from directory.core.mail import SentEmail, deliver, queue_email
from directory.core.models import utcnow
from directory.extensions import db


def queue_hello(to: str = "client@example.com") -> outbox.OutboxMessage:
    return queue_email(
        to, "verify_account", "Hello", user={"display_name": "Ann", "email": to}, link="http://x/y"
    )


def sent_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SentEmail))


def test_a_rolled_back_transaction_sends_nothing(app, mail_folder):
    queue_hello()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(outbox.OutboxMessage)) == 0
    assert not mail_folder.exists() or not list(mail_folder.iterdir())


def test_a_committed_job_runs_after_commit_and_is_acknowledged(app, mail_folder):
    message = queue_hello()
    assert not mail_folder.exists()  # nothing leaves before the commit
    db.session.commit()
    db.session.refresh(message)
    assert message.state == outbox.OutboxState.DONE
    assert len(list(mail_folder.glob("*.eml"))) == 1
    assert sent_count() == 1


def test_delivering_the_same_row_twice_sends_once(app, mail_folder):
    message = queue_hello()
    message_id = message.id
    db.session.commit()
    assert deliver(message_id) is False
    assert len(list(mail_folder.glob("*.eml"))) == 1
    assert sent_count() == 1


def test_stale_pending_rows_are_dispatched_again(make_app, tmp_path):
    # A broker that does not answer: the relay fails quietly and the row stays pending.
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        message = queue_hello()
        db.session.commit()
        message_id = message.id
        assert db.session.get(outbox.OutboxMessage, message_id).state == outbox.OutboxState.PENDING
        db.session.remove()

    recovered = make_app(MAIL_URL=f"file://{tmp_path / 'mail'}")
    with recovered.app_context():
        later = utcnow() + timedelta(minutes=10)
        assert outbox.redispatch_stale(now=later) == 1
        row = db.session.get(outbox.OutboxMessage, message_id)
        db.session.refresh(row)
        assert row.state == outbox.OutboxState.DONE
        assert row.attempts == 1
        assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
        assert outbox.redispatch_stale(now=later + timedelta(minutes=10)) == 0
        db.session.remove()


def test_rows_that_keep_failing_are_given_up(app):
    message = outbox.enqueue("no.such.task", anything=1)
    db.session.commit()
    now = utcnow()
    for minutes in range(1, app.config["OUTBOX_MAX_ATTEMPTS"] + 2):
        outbox.redispatch_stale(now=now + timedelta(minutes=10 * minutes))
    db.session.refresh(message)
    assert message.state == outbox.OutboxState.FAILED
    assert message.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
