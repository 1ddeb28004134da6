"""Every Flask extension, created unbound; `create_app` binds them to an app."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app bound to `app`: every task runs inside an app context.

    The pattern from Flask's own Celery guide; the object is kept in
    `app.extensions["celery"]`, and JSON is the only serializer accepted.
    """

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    broker = app.config["CELERY_BROKER_URL"] or "memory://"
    celery_app.conf.update(
        broker_url=broker,
        result_backend=app.config["CELERY_RESULT_BACKEND"] or None,
        task_ignore_result=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_always_eager=app.config["CELERY_EAGER"],
        broker_connection_retry_on_startup=True,
        # A broker outage must not hold a web request: one short try, and the outbox sweep
        # sends what it missed (workers loosen these, workers/__init__.py).
        task_publish_retry=False,
        broker_transport_options={
            "socket_connect_timeout": app.config["BROKER_PUBLISH_TIMEOUT_SECONDS"],
            "socket_timeout": app.config["BROKER_PUBLISH_TIMEOUT_SECONDS"],
        },
        task_time_limit=app.config["TASK_TIME_LIMIT_SECONDS"],
        task_default_queue=app.config["CELERY_QUEUE"],
        # Task modules are named by configuration, not imported by the app: `directory`
        # never imports `workers`, but a worker (or eager dispatch) loads them by name.
        imports=(
            "workers.answers",
            "workers.emails",
            "workers.indexing",
            "workers.maintenance",
            "workers.reviews",
        ),
        timezone="UTC",
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
