"""The transactional outbox: jobs leave the application only after their transaction commits.

A service calls `enqueue(task_name, **payload)`; that writes an `outbox` row in the current
transaction.  After the commit the relay hands each new row to Celery by task name (the
application never imports the tasks).  The task acknowledges by marking the row done; a
periodic sweep re-dispatches rows still pending, so a broker outage delays work but loses
none.  A task's failures are written on its row; after its last retry the row is a dead
letter (state `failed`) until an operator puts it back to work (`retry`).  With Celery
eager (the local default) the relay runs the task in-process instead.  docs/jobs.md has
the guarantees.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from directory.core import after_commit, redis_client
from directory.core.models import UTCDateTime, check_in, utcnow
from directory.extensions import db

log = logging.getLogger(__name__)

_NEW_MESSAGES = "outbox"  # the after-commit kind of messages this transaction wrote
_BROKER_RESTING_UNTIL = "outbox_broker_resting_until"  # app.extensions: a monotonic time


class OutboxState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.CheckConstraint(check_in("state", list(OutboxState)), name="state"),
        sa.Index("ix_outbox_state_dispatched_at", "state", "dispatched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(sa.String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(20), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def enqueue(task_name: str, **payload: Any) -> OutboxMessage:
    """Record that `task_name` must run with `payload`, in the caller's transaction.

    Nothing leaves before the transaction commits; if it rolls back, the job never existed.
    The task receives the outbox row's id and reads the payload from the row.
    """
    message = OutboxMessage(task_name=task_name, payload=payload)
    db.session.add(message)
    db.session.flush()
    after_commit.defer(db.session(), _NEW_MESSAGES, (message.id, task_name))
    return message


def pending_payload(message_id: int) -> dict[str, Any] | None:
    """The payload of a row still waiting to be done; None once done, failed or absent."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.state != OutboxState.PENDING:
        return None
    return message.payload


def mark_done(message_id: int) -> bool:
    """Acknowledge a row; True if this call moved it from pending to done (the caller flushes)."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
        .values(state=OutboxState.DONE, completed_at=utcnow())
    )
    return result.rowcount == 1


def record_failure(message_id: int, error: str, *, final: bool) -> None:
    """Count a run that failed and say why (the caller commits).  A final failure makes
    the row a dead letter, which nothing retries until an operator does (`jobs retry`);
    a row already done stays done."""
    values: dict[str, Any] = {
        "attempts": OutboxMessage.attempts + 1,
        "last_error": error[:2000],
        "last_attempt_at": utcnow(),
    }
    if final:
        values["state"] = OutboxState.FAILED
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
        .values(**values)
    )


def retry(message_ids: list[int]) -> list[int]:
    """Put dead letters back to work: pending again with a fresh count of attempts, and
    dispatched after the caller commits.  Returns the ids that were dead letters."""
    revived = sorted(
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.state == OutboxState.FAILED)
            .values(state=OutboxState.PENDING, attempts=0, dispatched_at=None)
            .returning(OutboxMessage.id, OutboxMessage.task_name)
        ).all()
    )
    for message_id, name in revived:
        after_commit.defer(db.session(), _NEW_MESSAGES, (message_id, name))
    return [message_id for message_id, _name in revived]


def dispatch(messages: list[tuple[int, str]], *, sweeping: bool = False) -> None:
    """Hand (outbox id, task name) pairs to Celery.  Never raises: the sweep retries failures.

    After the broker refused a job, the relay sends nothing for BROKER_RETRY_SECONDS (the
    jobs stay pending for the sweep), so requests do not each wait on a dead broker; the
    sweep (`sweeping`) always tries.
    Eager (the local default): the task runs here and now, in its own app context and so
    its own database session.
    """
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        celery.loader.import_default_modules()
        for message_id, name in messages:
            try:
                celery.tasks[name].apply(args=[message_id], throw=False)
            except Exception:
                log.exception("outbox: message %s (%s) failed in-process", message_id, name)
        return
    if not sweeping and _broker_resting():
        return
    for message_id, name in messages:
        try:
            celery.send_task(name, args=[message_id])
        except Exception as error:  # a broker outage must not break the request
            _broker_failed(error)
            log.warning(
                "outbox: the broker did not take message %s (%s): %s; the sweep will send it",
                message_id,
                name,
                error,
            )
            return


def _broker_is_the_apps_redis() -> bool:
    config = current_app.config
    return bool(config["REDIS_URL"]) and config["CELERY_BROKER_URL"] == config["REDIS_URL"]


def _broker_resting() -> bool:
    """Whether the broker failed a moment ago (when it is the app's Redis, a failure of
    any of the app's Redis calls counts: one outage costs one timeout, not one per use)."""
    if _broker_is_the_apps_redis() and redis_client.available() is None:
        return True
    return time.monotonic() < current_app.extensions.get(_BROKER_RESTING_UNTIL, 0.0)


def _broker_failed(error: Exception) -> None:
    if _broker_is_the_apps_redis():
        redis_client.failed(error, "handing a job to the broker")
    current_app.extensions[_BROKER_RESTING_UNTIL] = (
        time.monotonic() + current_app.config["BROKER_RETRY_SECONDS"]
    )


def redispatch_stale(now: datetime | None = None, limit: int = 500) -> int:
    """Send again the pending rows nobody acknowledged in time; returns how many.

    Safe to run concurrently with the relay: tasks are idempotent per outbox row.
    """
    now = now or utcnow()
    config = current_app.config
    cutoff = now - timedelta(seconds=config["OUTBOX_REDISPATCH_AFTER_SECONDS"])
    stale = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.task_name)
        .where(
            OutboxMessage.state == OutboxState.PENDING,
            OutboxMessage.created_at < cutoff,
            sa.or_(OutboxMessage.dispatched_at.is_(None), OutboxMessage.dispatched_at < cutoff),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    if not stale:
        return 0
    ids = [message_id for message_id, _ in stale]
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(dispatched_at=now, attempts=OutboxMessage.attempts + 1)
    )
    given_up = set(
        db.session.scalars(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.attempts >= config["OUTBOX_MAX_ATTEMPTS"],
            )
            .values(
                state=OutboxState.FAILED,
                last_error=sa.case(
                    (OutboxMessage.last_error == "", "never acknowledged: gave up"),
                    else_=OutboxMessage.last_error,
                ),
            )
            .returning(OutboxMessage.id)
        )
    )
    db.session.commit()  # the relay dispatches nothing here: these rows are not new
    resend = [(message_id, name) for message_id, name in stale if message_id not in given_up]
    dispatch(resend, sweeping=True)
    return len(resend)


def install_relay() -> None:
    """Dispatch, after each commit of the app's sessions, the jobs that commit wrote."""
    after_commit.on_commit(_NEW_MESSAGES, dispatch)
