"""Periodic housekeeping tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core.outbox import redispatch_stale as redispatch_stale_messages


@shared_task(name="outbox.redispatch_stale", acks_late=True)
def redispatch_stale() -> int:
    """Send again every outbox row that no task acknowledged in time; returns how many.

    Safe to run twice: the tasks it re-sends are idempotent per outbox row.
    """
    return redispatch_stale_messages()
