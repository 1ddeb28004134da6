"""Review housekeeping tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.reviews.unconfirmed import purge_unconfirmed as purge_unconfirmed_reviews

PURGE_UNCONFIRMED_TASK = "reviews.purge_unconfirmed"


@shared_task(name=PURGE_UNCONFIRMED_TASK, acks_late=True)
def purge_unconfirmed() -> int:
    """Delete reviews nobody confirmed within 7 days, in every clinic; returns how many.

    Safe to run twice (the second run finds nothing); one transaction per run.
    """
    act_for_all_clinics()  # platform housekeeping across every clinic's reviews
    purged = purge_unconfirmed_reviews()
    db.session.commit()
    return purged
