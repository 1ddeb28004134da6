"""Periodic housekeeping tasks."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from directory.core.outbox import redispatch_stale as redispatch_stale_messages
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.public import view_counts
from directory.therapists.expiry import expire_lapsed, send_expiry_reminders


@shared_task(name="outbox.redispatch_stale", acks_late=True)
def redispatch_stale() -> int:
    """Send again every outbox row that no task acknowledged in time; returns how many.

    Safe to run twice: the tasks it re-sends are idempotent per outbox row.
    """
    return redispatch_stale_messages()


@shared_task(name="accreditations.expire_and_remind", acks_late=True)
def expire_and_remind() -> dict[str, int]:
    """Daily: expire lapsed credentials, then remind clinics of those expiring within 30 days.

    Safe to run twice: nothing is expired or reminded twice.
    """
    act_for_all_clinics()  # a platform job across every clinic
    today = date.today()
    expired = expire_lapsed(today)
    reminded = send_expiry_reminders(today)
    db.session.commit()
    return {"expired": expired, "reminded": reminded}


@shared_task(name="profile_views.flush", acks_late=True)
def flush_profile_views() -> int:
    """Every minute: add the profile views counted in Redis to the database.

    Safe to run twice: each batch of counts is deleted from Redis once it is committed.
    """
    return view_counts.flush()
