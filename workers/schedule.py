"""The beat schedule: periodic jobs, by task name."""

from __future__ import annotations

from datetime import timedelta

BEAT_SCHEDULE = {
    "outbox-redispatch": {
        "task": "outbox.redispatch_stale",
        "schedule": timedelta(seconds=60),
    },
}
