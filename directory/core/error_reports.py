"""Unexpected errors reported to Sentry, when SENTRY_DSN is set.

sentry-sdk's Flask and Celery integrations catch what escapes a request or a task; our
own catch-all error page (core.errors) handles exceptions before Flask would signal them,
so it reports them here.  Personal data stays out: no cookies, request bodies, query
strings, local variables, IP addresses or user details.
"""

from __future__ import annotations

import sentry_sdk
from flask import Flask, current_app
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.flask import FlaskIntegration


def init_app(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["ENV_NAME"],
        integrations=[FlaskIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        # A frame's variables and a query string can hold what a visitor typed.
        include_local_variables=False,
        before_send=_without_query_string,
        traces_sample_rate=0.0,
    )


def _without_query_string(event: dict, _hint: dict) -> dict:
    event.get("request", {}).pop("query_string", None)
    return event


def reporting() -> bool:
    """Whether errors reach someone beyond the logs (the error page says so)."""
    return bool(current_app.config.get("SENTRY_DSN"))


def report(error: BaseException) -> None:
    if reporting():
        sentry_sdk.capture_exception(error)
