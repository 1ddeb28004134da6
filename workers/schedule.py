"""The beat schedule: periodic jobs, by task name."""

from __future__ import annotations

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "outbox-redispatch": {
        "task": "outbox.redispatch_stale",
        "schedule": timedelta(seconds=60),
    },
    "profile-views-flush": {
        "task": "profile_views.flush",
        "schedule": timedelta(seconds=60),
    },
    "accreditations-expire-and-remind": {
        "task": "accreditations.expire_and_remind",
        "schedule": crontab(hour=3, minute=15),
    },
    "reviews-send-daily-digests": {
        "task": "reviews.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),  # UTC: before the working day in Europe
    },
    "reviews-purge-unconfirmed": {
        "task": "reviews.purge_unconfirmed",
        "schedule": crontab(minute=40),  # hourly: a review goes within an hour of 7 days
    },
}
