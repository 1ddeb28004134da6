"""Logging: one setup for the web app and the worker, one line per record, on stderr.

`init_app` configures the root logger from LOG_FORMAT and LOG_LEVEL, so records of every
library (SQLAlchemy, Celery, gunicorn's workers' own code) come out the same way, and
gives every request an id.

Every record carries the *context* known where it was made, as fields:

- in a request: `request_id` (the caller's `X-Request-ID` when it is sane, else a new
  one; echoed in the response), `user_id` once the signed-in user has been loaded (a log
  record never loads anything), `clinic_id` in a clinic's console (tenancy's scope);
- in a task: what the worker bound with `bind()` (task, task_id, outbox_id, attempt);
- whatever the call passed as `extra={...}`.

Two formats.  `json`: one JSON object per line (production).  `text`: `time level
[logger] message key=value ...` (local).  Neither lets user text forge a line: JSON
encodes every control character, and the text format escapes them (a newline becomes
`\\n`, a backslash `\\\\`) in the message and every field.  A traceback in the text
format follows on lines of its own, each starting with "  | ", which no record's first
line does.

With LOG_REQUESTS on (the production default), each request ends with one INFO line:
method, path (never the query string, which may hold tokens), status and duration.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from flask.logging import default_handler

from directory.core.tenancy import current_clinic_id, signed_in_user_id

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_log = logging.getLogger("directory.requests")

# Fields bound by the worker for the task it runs (see `bind`).
_bound: ContextVar[dict[str, Any] | None] = ContextVar("log_fields", default=None)

# The attribute ContextFilter puts the context in.
_CONTEXT = "log_context"
# Every attribute a plain LogRecord has; anything else on a record is a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
    _CONTEXT,
}


# -- context -------------------------------------------------------------------------


def bind(**fields: Any) -> Token:
    """Add fields to every record of this thread (or task) until `unbind(token)`."""
    return _bound.set({**(_bound.get() or {}), **fields})


def unbind(token: Token) -> None:
    _bound.reset(token)


def request_id() -> str | None:
    """The id of the current request (None outside one)."""
    return g.get("request_id") if has_request_context() else None


def context_fields() -> dict[str, Any]:
    """What is known of where a record is being made; never loads anything."""
    fields: dict[str, Any] = {}
    if has_request_context():
        fields["request_id"] = g.get("request_id")
        user_id = signed_in_user_id()
        fields["user_id"] = int(user_id) if user_id else None
    if has_app_context():
        fields["clinic_id"] = current_clinic_id()
    fields.update(_bound.get() or {})
    return {name: value for name, value in fields.items() if value is not None}


class ContextFilter(logging.Filter):
    """Puts the context on each record, as it is where and when the record is made."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _CONTEXT not in record.__dict__:
            setattr(record, _CONTEXT, context_fields())
        return True


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's fields: the context first, then what the call added with `extra=`
    (which wins over a context field of the same name)."""
    extra = {k: v for k, v in record.__dict__.items() if k not in _RECORD_ATTRIBUTES}
    return {**record.__dict__.get(_CONTEXT, {}), **extra}


# -- formats -------------------------------------------------------------------------


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JSONFormatter(logging.Formatter):
    """One JSON object per line; every non-ASCII and control character is \\u-escaped."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **record_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


# Colour codes (the development server paints its request lines) only change colours:
# they are dropped.  Any other control character, and every character Python reads as
# the end of a line, is written as an escape.
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_ESCAPES = {
    **{code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))},
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_NEEDS_QUOTES = re.compile(r'[\s"=]')
TRACEBACK_PREFIX = "  | "


def escape(text: str) -> str:
    """`text` on one line: control characters and line breaks escaped."""
    return _ANSI_COLOUR.sub("", text).translate(_ESCAPES)


def _text_value(value: Any) -> str:
    text = escape(str(value))
    if text and not _NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


class TextFormatter(logging.Formatter):
    """`time level [logger] message key=value ...`, one line per record."""

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{_timestamp(record)} {record.levelname} [{record.name}] {escape(record.getMessage())}"
        )
        fields = " ".join(
            f"{escape(name)}={_text_value(value)}" for name, value in record_fields(record).items()
        )
        if fields:
            line = f"{line} {fields}"
        details = []
        if record.exc_info:
            details.append(self.formatException(record.exc_info))
        if record.stack_info:
            details.append(self.formatStack(record.stack_info))
        for detail in details:
            line += "".join(f"\n{TRACEBACK_PREFIX}{escape(part)}" for part in detail.split("\n"))
        return line


FORMATTERS: dict[str, type[logging.Formatter]] = {"json": JSONFormatter, "text": TextFormatter}


class StandardErrorHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes (test runners replace it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(log_format: str, level: str | int) -> None:
    """Make the root logger write `log_format` lines at `level` and above.

    Idempotent: a process has one such handler, however many apps it builds; the last
    configuration wins.
    """
    if log_format not in FORMATTERS:
        raise RuntimeError(f"LOG_FORMAT={log_format!r} is not one of {', '.join(FORMATTERS)}")
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, StandardErrorHandler)), None)
    if handler is None:
        handler = StandardErrorHandler()
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    handler.setFormatter(FORMATTERS[log_format]())
    root.setLevel(level.upper() if isinstance(level, str) else level)


# -- requests ------------------------------------------------------------------------


def _begin_request() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started_at = time.perf_counter()


def request_seconds() -> float | None:
    """How long the current request has taken so far (None outside one)."""
    started = g.get("request_started_at") if has_request_context() else None
    return None if started is None else time.perf_counter() - started


def _finish_request(response: Response) -> Response:
    identifier = request_id()
    if identifier is not None:
        response.headers[REQUEST_ID_HEADER] = identifier
    seconds = request_seconds()
    if current_app.config["LOG_REQUESTS"] and seconds is not None:
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
    return response


def init_app(app: Flask) -> None:
    """Configure logging from the app's settings and give every request an id.

    Call it first in create_app: its hooks then run before every other `before_request`
    and after every other `after_request`, so the id and the duration cover them all.
    """
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # Flask adds its own handler only when no handler would see the app's records;
    # make sure it never writes a second, differently formatted copy.
    app.logger.removeHandler(default_handler)
    app.before_request(_begin_request)
    app.after_request(_finish_request)
