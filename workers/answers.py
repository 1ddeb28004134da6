"""Emails that answer a request about an address (a password reset, a review's link sent
again).  The request queued the same job whatever the address; the answer, which differs,
is decided here, away from the page and its timing."""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task

from directory.accounts.services import ANSWER_PASSWORD_RESET_TASK, answer_password_reset
from directory.core import outbox
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews.unconfirmed import ANSWER_RESEND_TASK, answer_resend
from workers.retries import run_outbox_job


@shared_task(name=ANSWER_PASSWORD_RESET_TASK, bind=True, acks_late=True, max_retries=None)
def password_reset(self, outbox_id: int) -> bool:
    return run_outbox_job(self, outbox_id, lambda: _answer(outbox_id, answer_password_reset))


@shared_task(name=ANSWER_RESEND_TASK, bind=True, acks_late=True, max_retries=None)
def review_link_again(self, outbox_id: int) -> bool:
    return run_outbox_job(self, outbox_id, lambda: _answer(outbox_id, answer_resend))


def _answer(outbox_id: int, answer: Callable[..., object]) -> bool:
    """answer(**payload) for a row still pending, acknowledged in the same transaction as
    the email it queues: run twice, the second run finds the row done and sends nothing."""
    act_for_all_clinics()  # the answer enters the one clinic it reads, if any
    payload = outbox.pending_payload(outbox_id)
    if payload is None:
        return False
    answer(**payload)
    outbox.mark_done(outbox_id)
    db.session.commit()
    return True
