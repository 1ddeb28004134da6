"""The Celery application: `celery -A workers worker` and `celery -A workers beat`.

It builds the Flask app, so every task runs in an app context with the same configuration
as the web process, and logs as the web process does (workers/monitoring.py).
"""

from directory import create_app
from workers import monitoring
from workers.schedule import BEAT_SCHEDULE

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = BEAT_SCHEDULE
monitoring.install(flask_app)
