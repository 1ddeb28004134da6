"""Error pages in the site layout, JSON errors under /api/, and no stack trace anywhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from directory.core import error_reports
from directory.extensions import db

log = logging.getLogger(__name__)

FRIENDLY_MESSAGES = {
    400: "The request could not be understood. Please check what you entered and try again.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page. It may have moved or never existed.",
    405: "That action is not available on this page.",
    413: "What you sent is too large.",
    429: "Too many attempts in a short time. Please wait a little and try again.",
    500: "Something went wrong on our side, and the error was logged. Please try again shortly.",
    503: "The directory is briefly unavailable. Nothing you sent was half-saved; please try"
    " again in a moment.",
}
REPORTED = (
    "Something went wrong on our side, and the error was reported to the team. Please try"
    " again shortly."
)
# How long a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 10


class BadParameter(Exception):
    """A request parameter that cannot be used; answered as 400 naming the parameter."""

    def __init__(self, parameter: str, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message
        # Values that would work instead ("Seattle, US" for "Seatle"), best first.
        self.suggestions = suggestions


def database_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached (down, restarting, the pool
    exhausted), as opposed to a statement that failed."""
    if isinstance(error, PoolTimeoutError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(
    status: int,
    description: str | None = None,
    parameter: str | None = None,
    suggestions: tuple[str, ...] = (),
):
    message = FRIENDLY_MESSAGES.get(status, "The request could not be completed.")
    if status == InternalServerError.code and error_reports.reporting():
        message = REPORTED
    if wants_json():
        body = {"error": {"status": status, "message": description or message}}
        if parameter:
            body["error"]["parameter"] = parameter
        if suggestions:
            body["error"]["suggestions"] = list(suggestions)
        return make_response(jsonify(body), status)
    page = render_template("errors/error.html", status=status, message=message, detail=description)
    return make_response(page, status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        status = error.code or 500
        if status >= 500:
            return _render(status)
        # Werkzeug's default descriptions are written for developers; keep ours, but let a
        # view's explicit abort(4xx, "…") message through.
        custom = error.description if error.description != type(error).description else None
        response = _render(status, custom)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(BadParameter)
    def handle_bad_parameter(error: BadParameter):
        return _render(400, error.message, error.parameter, error.suggestions)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if database_unreachable(error):
            return _database_unavailable(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        error_reports.report(error)
        return _render(InternalServerError.code)


def _database_unavailable(error: Exception):
    # The transaction never committed; drop the dead connection so the next request
    # gets a fresh one (pool_pre_ping replaces it) and recovers on its own.
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing left to roll back
        db.session.remove()
    log.warning(
        "database unreachable on %s %s: %s",
        request.method,
        request.path,
        str(error).splitlines()[0] if str(error) else type(error).__name__,
    )
    response = _render(503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
