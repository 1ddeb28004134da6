"""How a task that works an outbox row fails.

Transient failures (the database unreachable, the broker or Redis gone, SMTP refusing or
dropping the connection) are retried with exponential backoff and full jitter, at most
TASK_MAX_RETRIES times; anything else is a bug or bad data and is not retried.  Every
failure is written on the outbox row (attempts, last_error, last_attempt_at) in a
transaction of its own; the last one makes the row a dead letter, which `flask jobs retry`
puts back to work.  Run eagerly (the local default) a failure is only recorded: the sweep
sends the job again later instead of the request waiting through the retries.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

import kombu.exceptions
import redis
from celery import Task
from celery.exceptions import Retry
from flask import current_app
from sqlalchemy.exc import DBAPIError

from directory.core import outbox
from directory.core.errors import database_unreachable
from directory.extensions import db

log = logging.getLogger(__name__)

# OSError covers sockets, SMTP (smtplib.SMTPException is one) and refused connections.
TRANSIENT = (OSError, kombu.exceptions.OperationalError, redis.ConnectionError, redis.TimeoutError)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT) or (
        isinstance(error, DBAPIError) and database_unreachable(error)
    )


def backoff_seconds(retries: int) -> float:
    """Full jitter on an exponential ceiling: retries of many jobs spread out instead of
    arriving together when the part they wait for comes back."""
    config = current_app.config
    ceiling = min(
        config["TASK_RETRY_BACKOFF_MAX_SECONDS"], config["TASK_RETRY_BACKOFF_SECONDS"] * 2**retries
    )
    return random.uniform(ceiling / 2, ceiling)


def run_outbox_job(task: Task, outbox_id: int, work: Callable[[], Any]) -> Any:
    """work(), with its failures recorded on outbox row `outbox_id` and the transient ones
    retried (raises celery's Retry, or the error once the job is a dead letter)."""
    try:
        return work()
    except Retry:
        raise  # the work asked for its own retry: not a failure
    except Exception as error:
        retries = task.request.retries
        retry = (
            is_transient(error)
            and not task.request.is_eager
            and retries < current_app.config["TASK_MAX_RETRIES"]
        )
        record_failure(outbox_id, error, final=not retry and not task.request.is_eager)
        if not retry:
            raise
        raise task.retry(exc=error, countdown=backoff_seconds(retries)) from error


def record_failure(outbox_id: int, error: BaseException, *, final: bool) -> None:
    """Write the failure on the row, in a transaction of its own (never raises: with the
    database down there is nothing to write to, and the retry or the sweep comes back)."""
    description = f"{type(error).__name__}: {error}".strip()
    try:
        db.session.rollback()
        outbox.record_failure(outbox_id, description, final=final)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.warning("could not record the failure of outbox row %s", outbox_id, exc_info=True)
    log.log(
        logging.ERROR if final else logging.WARNING,
        "outbox row %s failed%s: %s",
        outbox_id,
        " for good (dead letter)" if final else "",
        description,
    )
