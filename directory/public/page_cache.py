"""Whole public pages, rendered once and served to every visitor.

A page is rendered to be shared (`visitor_parts.render_shared`): as a signed-out visitor
with nothing on their compare list sees it, with the parts that are a visitor's own (the
header's account links, waiting messages, each "add to compare" control, CSRF tokens)
cut out.  Each visitor is served the stored page with their own parts put back, so a
signed-in visitor, or one comparing therapists, gets the same stored page as anyone.

Every page belongs to a subject of the shared store (`shared_store`: one therapist's
profile, the search pages) and is served only while the subject's generation it was
rendered under is current; `invalidation` works out from each flush which subjects a
commit makes stale, and hears from the search index when its documents change.
Without Redis, or with SHARED_PAGE_SECONDS at 0, every page is rendered for its visitor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from flask import request

from directory.public import shared_store, visitor_parts

Parameters = Mapping[str, object]  # a page's query parameters, each with its default

# Bumped whenever templates or this format change shape, so that during a rolling deploy
# old and new workers sharing one Redis never serve each other's pages.
FORMAT = 5
MAX_NAME_LENGTH = 1024


def serve(subject: str, render: Callable[[], str], parameters: Parameters) -> str:
    """This request's page of `subject`: the stored one when it is current, else render()
    (stored for the next visitor); either way with this visitor's own parts.

    `parameters` are the query parameters the page reads, each with its default: they
    alone name the page (`page_name`).
    """
    name = page_name(parameters)
    if name is None or not shared_store.enabled():
        return render()
    generation, stored = shared_store.lookup(subject, name)
    if generation is None:  # Redis is unavailable
        return render()
    if stored is not None:
        return visitor_parts.SharedPage.loads(stored).for_visitor()
    shared = visitor_parts.render_shared(render)
    if shared is None:
        return render()
    shared_store.store(subject, name, generation, shared.dumps())
    return shared.for_visitor()


def page_name(parameters: Parameters) -> str | None:
    """The name a page is stored under: its endpoint, the values in its path, and the
    known query parameters it was asked with, sorted, without empty values or values that
    say the default.  Tracking parameters and other unknown ones do not count (the page
    never reads them), so `?utm_source=a` and `?utm_source=b` share one page.  None for a
    request too long to be worth storing."""
    query = [
        (name, value) for name in sorted(parameters) for value in _given(name, parameters[name])
    ]
    path = sorted((request.view_args or {}).items())
    described = f"{request.endpoint}\n{urlencode(path)}\n{urlencode(query)}"
    if len(described) > MAX_NAME_LENGTH:
        return None
    digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    return f"page:{FORMAT}:{digest}"


def _given(name: str, default: object) -> list[str]:
    values = [value for value in request.args.getlist(name) if value.strip()]
    if len(values) == 1 and values[0].strip().lower() == str(default).lower():
        return []
    return values


def profile_subject(slug: str) -> str:
    """A therapist's profile pages (every sort and page of their reviews)."""
    return f"therapist:{slug}"


# Every search page: a new generation after every change of a search document, told by
# the index's after-commit kind (`invalidation`).
SEARCH_SUBJECT = "search"
