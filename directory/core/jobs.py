"""What operators see of the jobs: the outbox's backlog, its oldest waiting job, its dead
letters (rows in state `failed`), and one job in full.  `flask jobs` and the moderators'
jobs page both read from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage, OutboxState
from directory.extensions import db


@dataclass(frozen=True)
class Backlog:
    task_name: str
    state: str
    count: int


@dataclass(frozen=True)
class JobsStatus:
    backlog: list[Backlog]
    oldest_pending: datetime | None
    dead_letters: list[OutboxMessage]  # newest first, at most `limit`
    dead_letter_count: int

    def oldest_pending_seconds(self, now: datetime | None = None) -> float | None:
        if self.oldest_pending is None:
            return None
        return ((now or utcnow()) - self.oldest_pending).total_seconds()


def backlog_statement(states: tuple[str, ...] = tuple(OutboxState)) -> sa.Select:
    """(task name, state, jobs, oldest created_at) of the outbox rows in `states`: what
    `flask jobs`, the jobs page and the metrics all count."""
    return (
        sa.select(
            OutboxMessage.task_name,
            OutboxMessage.state,
            sa.func.count(),
            sa.func.min(OutboxMessage.created_at),
        )
        .where(OutboxMessage.state.in_(states))
        .group_by(OutboxMessage.task_name, OutboxMessage.state)
        .order_by(OutboxMessage.task_name, OutboxMessage.state)
    )


def jobs_status(limit: int = 50) -> JobsStatus:
    """The backlog by task and state, the oldest pending job and the latest dead letters."""
    rows = db.session.execute(backlog_statement()).all()
    backlog = [Backlog(task_name, state, count) for task_name, state, count, _oldest in rows]
    pending_since = [
        oldest for _task, state, _count, oldest in rows if state == OutboxState.PENDING
    ]
    dead = list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
    dead_count = sum(row.count for row in backlog if row.state == OutboxState.FAILED)
    return JobsStatus(backlog, min(pending_since, default=None), dead, dead_count)


def job(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def dead_letter_ids() -> list[int]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.id)
            .where(OutboxMessage.state == OutboxState.FAILED)
            .order_by(OutboxMessage.id)
        )
    )
