"""Refusing input no page can use, before any view sees it.

PostgreSQL text cannot hold a NUL character, so a NUL anywhere in the path, the query
string or a submitted form would fail deep inside a query as a server error.  No real
person types one: the request is answered 400 at the door instead, on every page.
"""

from __future__ import annotations

from flask import Flask, abort, request

from directory.core.errors import BadParameter

NUL = "\x00"


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
