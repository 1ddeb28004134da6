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
# A worker waits on the broker for jobs: it needs the patience a web request must not have.
celery.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 5}
celery.conf.task_publish_retry = True
monitoring.install(flask_app)
