"""What is worked out once and shared by every visitor, kept in Redis while it is current.

Shared pages (`page_cache`) and signed-in visitors' account snapshots
(`visitor_accounts`) are stored here.  Each value belongs to a *subject* (one
therapist's profile, the search index, one account).  A subject has a generation, a
token replaced after every commit that changed what the subject's values show
(`changed`).  A value is stored tagged with the generation read *before* it was made
(`lookup`, then `store`) and is read back only while that generation is current, so a
value made from data that a concurrent commit was changing is never used after the
commit.  Values also expire (SHARED_PAGE_SECONDS), which bounds both memory and anything
a change forgot to announce.

Redis only (REDIS_URL, shared by every worker); without it, or with SHARED_PAGE_SECONDS
at 0, nothing is shared.  A Redis error never fails a request: the caller works the value
out for this request alone.
"""

from __future__ import annotations

import logging
import uuid

import redis
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.extensions import db

log = logging.getLogger(__name__)

_CHANGED = "shared_subjects_changed"  # session.info: subjects this transaction changes
_EXTENSION = "shared_store"


def init_app(app: Flask, session_class: type[Session]) -> None:
    url, seconds = app.config["REDIS_URL"], app.config["SHARED_PAGE_SECONDS"]
    client = None
    if url and seconds > 0:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    app.extensions[_EXTENSION] = client
    if not event.contains(session_class, "after_commit", _bump_after_commit):
        event.listen(session_class, "after_commit", _bump_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)


def enabled() -> bool:
    return current_app.extensions[_EXTENSION] is not None


def lookup(subject: str, name: str) -> tuple[bytes | None, bytes | None]:
    """(the subject's current generation, the value stored as `name` under it) in one
    round trip; the value is None when it was stored under an older generation or not at
    all.  Raises redis.RedisError; call only when enabled()."""
    client: redis.Redis = current_app.extensions[_EXTENSION]
    generation_key, value_key = _generation_key(subject), _value_key(subject, name)
    generation, stored = client.mget(generation_key, value_key)
    if generation is None:
        client.set(generation_key, _new_token(), nx=True, ex=_generation_seconds())
        generation = client.get(generation_key)
    tag = generation + b"\n" if generation else None
    if tag and stored and stored.startswith(tag):
        return generation, stored[len(tag) :]
    return generation, None


def store(subject: str, name: str, generation: bytes | None, value: bytes) -> None:
    """Keep `value` as `name` of `subject` while `generation`, as lookup() read it before
    the value was made, is current.  A Redis error only loses the value."""
    if generation is None:
        return
    client: redis.Redis = current_app.extensions[_EXTENSION]
    try:
        client.set(_value_key(subject, name), generation + b"\n" + value, ex=_value_seconds())
    except redis.RedisError:
        log.warning("shared store: could not store %s of %s", name, subject, exc_info=True)


def changed(subject: str, session: Session | None = None) -> None:
    """Note that this transaction (of `session`, by default the app's) changes what
    `subject`'s values show; once it commits, none of the values stored before is used
    again."""
    (db.session if session is None else session).info.setdefault(_CHANGED, set()).add(subject)


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
        # Values of these subjects may be used until they expire; say so loudly.
        log.error("shared store: could not start new generations of %s", subjects, exc_info=True)


def _generation_key(subject: str) -> str:
    return f"{_subject_prefix(subject)}:generation"


def _value_key(subject: str, name: str) -> str:
    return f"{_subject_prefix(subject)}:{name}"


def _subject_prefix(subject: str) -> str:
    return f"{current_app.config['REDIS_KEY_PREFIX']}shared:{subject}"


def _value_seconds() -> int:
    return current_app.config["SHARED_PAGE_SECONDS"]


def _generation_seconds() -> int:
    # Outlives every value tagged with it; a lost generation only makes its values misses.
    return _value_seconds() * 4


def _new_token() -> str:
    return uuid.uuid4().hex


def _bump_after_commit(session: Session) -> None:
    subjects = session.info.pop(_CHANGED, None)
    if subjects:
        forget(*sorted(subjects))


def _forget_after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)
