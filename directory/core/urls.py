"""Links: absolute ones for emails (also built outside requests, by workers and the CLI),
links to many slugs at once, the check that a redirect target stays on this site, and
the ids routes accept."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter, UnicodeConverter

# The largest id a table holds (PostgreSQL's integer; SQLite refuses beyond 2**63 - 1).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id, so a number no id column can hold matches no
    route (404) instead of failing inside the query as a server error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


_SLUG = "0slug0"  # a slug no route's converter quotes


def slug_urls(endpoint: str) -> Callable[[str], str]:
    """url_for(endpoint, slug=...) for any number of slugs, for the cost of one (a search
    page links twenty therapists and their clinics)."""
    head, _, tail = url_for(endpoint, slug=_SLUG).partition(_SLUG)
    to_url = UnicodeConverter(current_app.url_map).to_url  # as url_for quotes a <slug>
    return lambda slug: f"{head}{to_url(slug)}{tail}"


def external_url(endpoint: str, **values) -> str:
    """An absolute link on BASE_URL, inside a request or not."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def same_site_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Refuses what browsers would read as another site: `//host`, `/\\host`, schemes,
    and control characters (which browsers strip before parsing).
    """
    if not target or not target.startswith("/") or len(target) > 2000:
        return None
    if target.startswith("//") or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
