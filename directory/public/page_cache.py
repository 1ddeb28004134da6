"""Whole public pages, rendered once and served to every visitor who would see the same.

A visitor sees the shared page when nothing on it is theirs: not signed in, an empty
compare list, no message waiting to be shown.  Such pages differ between visitors only in
the CSRF token of their forms, so a page is stored with a marker in the token's place and
each visitor's own token is put back when it is served.

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
from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.public.compare_tray import current_tray

log = logging.getLogger(__name__)

CSRF_MARKER = "\x00csrf-token\x00"  # never produced by a template: it escapes NUL
# Bumped whenever templates or this format change shape, so that during a rolling deploy
# old and new workers sharing one Redis never serve each other's pages.
FORMAT = 2
MAX_PATH_LENGTH = 1024
_CHANGED = "shared_page_subjects_changed"
_EXTENSION = "shared_pages"


def init_app(app: Flask, session_class: type[Session]) -> None:
    url, seconds = app.config["REDIS_URL"], app.config["SHARED_PAGE_SECONDS"]
    client = None
    if url and seconds > 0:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    app.extensions[_EXTENSION] = client
    if not event.contains(session_class, "after_commit", _bump_after_commit):
        event.listen(session_class, "after_commit", _bump_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)


def serve(subject: str, render: Callable[[], str]) -> str:
    """This request's page of `subject`: the stored one when this visitor may share it and
    it is current, else render() (stored for the next visitor when it may be shared)."""
    client: redis.Redis | None = current_app.extensions[_EXTENSION]
    if client is None or not _may_share() or len(request.full_path) > MAX_PATH_LENGTH:
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
        return _personalise(stored[len(tag) :].decode())
    page = render()
    if tag:
        shared = page.replace(generate_csrf(), CSRF_MARKER) if "csrf_token" in page else page
        try:
            client.set(page_key, tag + shared.encode(), ex=_page_seconds())
        except redis.RedisError:
            log.warning("shared pages: could not store a page", exc_info=True)
    return page


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


def _personalise(page: str) -> str:
    """The stored page with this visitor's CSRF token in its forms."""
    return page.replace(CSRF_MARKER, generate_csrf()) if CSRF_MARKER in page else page


def _may_share() -> bool:
    """Whether nothing on this visitor's page is theirs but the CSRF token."""
    return (
        not current_user.is_authenticated
        and not session.get("_flashes")
        and current_tray().count == 0
    )


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
