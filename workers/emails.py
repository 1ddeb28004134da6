"""Email delivery tasks."""

from __future__ import annotations

from celery import Task, shared_task

from directory.core.mail import SEND_EMAIL_TASK, SentButNotRecorded, deliver
from workers.retries import backoff_seconds, run_outbox_job


@shared_task(name=SEND_EMAIL_TASK, bind=True, acks_late=True, max_retries=None)
def send_email(self, outbox_id: int, already_sent: bool = False) -> bool:
    """Deliver the email queued as outbox row `outbox_id`.

    At least once, never lost (core/mail.py, docs/jobs.md); transient failures are
    retried with backoff, then the row is a dead letter.  When the message went out but
    "sent" could not be written, the retry only records it: it is never sent again for
    that, and the job is never a dead letter for it.
    """
    return run_outbox_job(self, outbox_id, lambda: _deliver(self, outbox_id, already_sent))


def _deliver(task: Task, outbox_id: int, already_sent: bool) -> bool:
    try:
        return deliver(outbox_id, already_sent=already_sent)
    except SentButNotRecorded as error:
        raise task.retry(
            args=[outbox_id, True], exc=error, countdown=backoff_seconds(task.request.retries)
        ) from error
