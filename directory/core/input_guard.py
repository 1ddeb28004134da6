"""Refusing input no page can use, before any view sees it.

PostgreSQL text cannot hold a NUL character, so a NUL anywhere in the path, the query
string or a submitted form would fail deep inside a query as a server error.  No real
person types one: the request is answered 400 at the door instead, on every page.

Bodies are limited by MAX_CONTENT_LENGTH, except where a view declares a larger upload
with `accepts_upload`: its limit applies before the body is read, and a body over it is
answered 413 with the view's own message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from directory.core.errors import BadParameter

NUL = "\x00"


def accepts_upload(max_bytes: int, too_large: str) -> Callable:
    """Let a view's POSTs carry up to `max_bytes`; a larger one is answered 413 with
    `too_large`."""

    def decorator(view: Callable) -> Callable:
        view.max_upload_bytes = max_bytes
        view.upload_too_large = too_large
        return view

    return decorator


def apply_upload_limit() -> None:
    """Registered before CSRFProtect's check (create_app), which reads the body too."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_upload_bytes", None)
    if limit is None or request.method != "POST":
        return
    request.max_content_length = limit
    try:
        request.form  # read the body now, under this view's limit  # noqa: B018
    except RequestEntityTooLarge:
        abort(413, view.upload_too_large)


def refuse_nul_characters() -> None:
    if NUL in request.path:
        abort(400, "The address contains a character that is not allowed (NUL).")
    fields = list(request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields += request.form.items(multi=True)
    for name, value in fields:
        if NUL in name or NUL in value:
            raise BadParameter(name.replace(NUL, ""), "contains a character that is not allowed")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
