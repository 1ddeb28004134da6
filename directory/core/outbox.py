"""The transactional outbox: jobs leave the application only after their transaction commits.

A service calls `enqueue(task_name, **payload)`; that writes an `outbox` row in the current
transaction.  After the commit the relay hands each new row to Celery by task name (the
application never imports the tasks).  The task acknowledges by marking the row done; a
periodic sweep re-dispatches rows still pending, so a broker outage delays work but loses
none.  With Celery eager (the local default) the relay runs the task in-process instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from directory.core import after_commit
from directory.core.models import UTCDateTime, check_in, utcnow
from directory.extensions import db

log = logging.getLogger(__name__)

_NEW_MESSAGES = "outbox"  # the after-commit kind of messages this transaction wrote


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
    """Note why a run failed; a final failure stops the sweep from trying again."""
    values: dict[str, Any] = {"last_error": error[:2000]}
    if final:
        values["state"] = OutboxState.FAILED
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
    )


def dispatch(messages: list[tuple[int, str]]) -> None:
    """Hand (outbox id, task name) pairs to Celery.  Never raises: the sweep retries failures.

    Eager (the local default): the task runs here and now, in its own app context and so
    its own database session.
    """
    celery = current_app.extensions["celery"]
    for message_id, name in messages:
        try:
            if celery.conf.task_always_eager:
                celery.loader.import_default_modules()
                celery.tasks[name].apply(args=[message_id], throw=False)
            else:
                celery.send_task(name, args=[message_id])
        except Exception:  # a broker outage must not break the request that queued the job
            log.exception("outbox: could not dispatch message %s (%s)", message_id, name)


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
    stale = [(message_id, task_name) for message_id, task_name in stale]
    ids = [message_id for message_id, _ in stale]
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(dispatched_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.attempts >= config["OUTBOX_MAX_ATTEMPTS"],
        )
        .values(state=OutboxState.FAILED, last_error="gave up after too many attempts")
    )
    db.session.commit()  # the relay dispatches nothing here: these rows are not new
    dispatch(stale)
    return len(stale)


def install_relay() -> None:
    """Dispatch, after each commit of the app's sessions, the jobs that commit wrote."""
    after_commit.on_commit(_NEW_MESSAGES, dispatch)
