"""Error pages in the site layout, JSON errors under /api/, and no stack trace anywhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

log = logging.getLogger(__name__)

FRIENDLY_MESSAGES = {
    400: "The request could not be understood. Please check what you entered and try again.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page. It may have moved or never existed.",
    405: "That action is not available on this page.",
    413: "What you sent is too large.",
    429: "Too many attempts in a short time. Please wait a little and try again.",
    500: "Something went wrong on our side. We have been notified; please try again shortly.",
}


class BadParameter(Exception):
    """A request parameter that cannot be used; answered as 400 naming the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, description: str | None = None, parameter: str | None = None):
    message = FRIENDLY_MESSAGES.get(status, "The request could not be completed.")
    if wants_json():
        body = {"error": {"status": status, "message": description or message}}
        if parameter:
            body["error"]["parameter"] = parameter
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
        return _render(400, error.message, error.parameter)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(InternalServerError.code)
