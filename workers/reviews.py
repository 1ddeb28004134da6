"""Review housekeeping tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews.notifications import send_daily_digests
from directory.reviews.unconfirmed import purge_unconfirmed as purge_unconfirmed_reviews

PURGE_UNCONFIRMED_TASK = "reviews.purge_unconfirmed"
SEND_DIGESTS_TASK = "reviews.send_daily_digests"


@shared_task(name=PURGE_UNCONFIRMED_TASK, acks_late=True)
def purge_unconfirmed() -> int:
    """Delete reviews nobody confirmed within 7 days, in every clinic; returns how many.

    Safe to run twice (the second run finds nothing); one transaction per run.
    """
    act_for_all_clinics()  # platform housekeeping across every clinic's reviews
    purged = purge_unconfirmed_reviews()
    db.session.commit()
    return purged


@shared_task(name=SEND_DIGESTS_TASK, acks_late=True)
def send_digests() -> int:
    """Daily: email each clinic member who chose the digest the reviews published since
    the last one, in one message; returns how many digests were queued.

    Safe to run twice, even at once: a member's collected reviews are taken and deleted in
    the transaction that queues their digest, so a second run finds nothing to send.
    """
    act_for_all_clinics()  # platform job: every clinic's members
    sent = send_daily_digests()
    db.session.commit()
    return sent
