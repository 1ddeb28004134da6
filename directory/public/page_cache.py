"""Whole public pages, rendered once and served to every visitor.

A page is rendered to be shared (`visitor_parts.render_shared`): as a signed-out visitor
with nothing on their compare list sees it, with the parts that are a visitor's own (the
header's account links, waiting messages, each "add to compare" control, CSRF tokens)
cut out.  Each visitor is served the stored page with their own parts put back, so a
signed-in visitor, or one comparing therapists, gets the same stored page as anyone.

Every page belongs to a *subject* (one therapist's profile, the search index).  A subject
has a generation, a token replaced after every commit that changed what its pages show
(`changed`).  A page is stored tagged with the generation read *before* it was rendered
and is served only while that generation is current, so a page rendered from data that a
concurrent commit was changing is never served after the commit.  Pages also expire
(SHARED_PAGE_SECONDS), which bounds both memory and anything a change forgot to announce.

Redis only (REDIS_URL, shared by every worker); without it, or with SHARED_PAGE_SECONDS
at 0, every page is rendered for its visitor.  A Redis error never fails a page either.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable

import redis
from flask import Flask, current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.public import visitor_parts

log = logging.getLogger(__name__)

# Bumped whenever templates or this format change shape, so that during a rolling deploy
# old and new workers sharing one Redis never serve each other's pages.
FORMAT = 3
MAX_PATH_LENGTH = 1024
_CHANGED = "shared_page_subjects_changed"
_EXTENSION = "shared_pages"


def init_app(app: Flask, session_class: type[Session]) -> None:
    url, seconds = app.config["REDIS_URL"], app.config["SHARED_PAGE_SECONDS"]
    client = None
    if url and seconds > 0:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    app.extensions[_EXTENSION] = client
    visitor_parts.init_app(app)
    if not event.contains(session_class, "after_commit", _bump_after_commit):
        event.listen(session_class, "after_commit", _bump_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)


def serve(subject: str, render: Callable[[], str]) -> str:
    """This request's page of `subject`: the stored one when it is current, else render()
    (stored for the next visitor); either way with this visitor's own parts."""
    client: redis.Redis | None = current_app.extensions[_EXTENSION]
    if client is None or len(request.full_path) > MAX_PATH_LENGTH:
        return render()
    generation_key, page_key = _generation_key(subject), _page_key(subject)
    try:
        generation, stored = client.mget(generation_key, page_key)
        if generation is None:
            client.set(generation_key, _new_token(), nx=True, ex=_generation_seconds())
            generation = client.get(generation_key)
    except redis.RedisError:
        log.warning("shared pages: Redis unavailable; rendering", exc_info=True)
        return render()
    tag = generation + b"\n" if generation else None
    if tag and stored and stored.startswith(tag):
        return visitor_parts.SharedPage.loads(stored[len(tag) :]).for_visitor()
    shared = visitor_parts.render_shared(render)
    if shared is None:
        return render()
    if tag:
        try:
            client.set(page_key, tag + shared.dumps(), ex=_page_seconds())
        except redis.RedisError:
            log.warning("shared pages: could not store a page", exc_info=True)
    return shared.for_visitor()


def profile_subject(slug: str) -> str:
    """A therapist's profile pages (every sort and page of their reviews)."""
    return f"therapist:{slug}"


SEARCH_SUBJECT = "search"  # the search pages: their generation follows the index's


def changed(subject: str) -> None:
    """Note that this transaction changes what `subject`'s pages show; once it commits,
    none of the pages stored before is served again."""
    db.session.info.setdefault(_CHANGED, set()).add(subject)


def forget(*subjects: str) -> None:
    """Start a new generation of each subject now (after a commit, or outside any)."""
    client: redis.Redis | None = current_app.extensions.get(_EXTENSION)
    if client is None or not subjects:
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            for subject in subjects:
                pipe.set(_generation_key(subject), _new_token(), ex=_generation_seconds())
            pipe.execute()
    except redis.RedisError:
        # Pages of these subjects may be served until they expire; say so loudly.
        log.error("shared pages: could not start new generations of %s", subjects, exc_info=True)


def _generation_key(subject: str) -> str:
    return f"{_subject_prefix(subject)}:generation"


def _page_key(subject: str) -> str:
    """This request's page of `subject`: every path and query string is a page of its own."""
    path = hashlib.blake2b(request.full_path.encode(), digest_size=16).hexdigest()
    return f"{_subject_prefix(subject)}:{path}"


def _subject_prefix(subject: str) -> str:
    return f"{current_app.config['REDIS_KEY_PREFIX']}page:{FORMAT}:{subject}"


def _page_seconds() -> int:
    return current_app.config["SHARED_PAGE_SECONDS"]


def _generation_seconds() -> int:
    # Outlives every page tagged with it; a lost generation only makes its pages misses.
    return _page_seconds() * 4


def _new_token() -> str:
    return uuid.uuid4().hex


def _bump_after_commit(session: Session) -> None:
    subjects = session.info.pop(_CHANGED, None)
    if subjects:
        forget(*sorted(subjects))


def _forget_after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)
