"""Email delivery tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core.mail import SEND_EMAIL_TASK, deliver


@shared_task(
    name=SEND_EMAIL_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(self, outbox_id: int) -> bool:
    """Deliver the email queued as outbox row `outbox_id`.

    Idempotent: a row is sent at most once however often this runs; SMTP and network
    errors are retried with exponential backoff.
    """
    return deliver(outbox_id)
