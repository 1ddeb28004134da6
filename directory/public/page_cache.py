"""Whole public pages, rendered once and served to every visitor.

A page is rendered to be shared (`visitor_parts.render_shared`): as a signed-out visitor
with nothing on their compare list sees it, with the parts that are a visitor's own (the
header's account links, waiting messages, each "add to compare" control, CSRF tokens)
cut out.  Each visitor is served the stored page with their own parts put back, so a
signed-in visitor, or one comparing therapists, gets the same stored page as anyone.

Every page belongs to a subject of the shared store (`shared_store`: one therapist's
profile, the search index) and is served only while the subject's generation it was
rendered under is current; whatever changes what a subject's pages show says so with
`shared_store.changed(subject)` in the same transaction.  Without Redis, or with
SHARED_PAGE_SECONDS at 0, every page is rendered for its visitor.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import redis
from flask import request

from directory.public import shared_store, visitor_parts

log = logging.getLogger(__name__)

# Bumped whenever templates or this format change shape, so that during a rolling deploy
# old and new workers sharing one Redis never serve each other's pages.
FORMAT = 3
MAX_PATH_LENGTH = 1024


def serve(subject: str, render: Callable[[], str]) -> str:
    """This request's page of `subject`: the stored one when it is current, else render()
    (stored for the next visitor); either way with this visitor's own parts."""
    if not shared_store.enabled() or len(request.full_path) > MAX_PATH_LENGTH:
        return render()
    path = hashlib.blake2b(request.full_path.encode(), digest_size=16).hexdigest()
    name = f"page:{FORMAT}:{path}"  # every path and query string is a page of its own
    try:
        generation, stored = shared_store.lookup(subject, name)
    except redis.RedisError:
        log.warning("shared pages: Redis unavailable; rendering", exc_info=True)
        return render()
    if stored is not None:
        return visitor_parts.SharedPage.loads(stored).for_visitor()
    shared = visitor_parts.render_shared(render)
    if shared is None:
        return render()
    shared_store.store(subject, name, generation, shared.dumps())
    return shared.for_visitor()


def profile_subject(slug: str) -> str:
    """A therapist's profile pages (every sort and page of their reviews)."""
    return f"therapist:{slug}"


SEARCH_SUBJECT = "search"  # the search pages: their generation follows the index's
