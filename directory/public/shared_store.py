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
at 0, nothing is shared.  A Redis error never fails a request: `lookup` then answers no
generation, and the caller works the value out for this request alone.
"""

from __future__ import annotations

import logging
import uuid

import redis
from flask import Flask, current_app
from sqlalchemy.orm import Session

from directory.core import after_commit, redis_client
from directory.extensions import db

log = logging.getLogger(__name__)

_CHANGED = "shared store"  # the after-commit kind: subjects this transaction changes
_UNANNOUNCED = "shared_store_unannounced"  # app.extensions: changes Redis has not heard of


def init_app(app: Flask) -> None:
    app.extensions[_UNANNOUNCED] = set()
    after_commit.on_commit(_CHANGED, _forget_changed)


def enabled() -> bool:
    return redis_client.configured() and _value_seconds() > 0


def lookup(subject: str, name: str) -> tuple[bytes | None, bytes | None]:
    """(the subject's current generation, the value stored as `name` under it) in one
    round trip; the value is None when it was stored under an older generation or not at
    all.  Both are None while Redis is unavailable, or while this process has changes
    it could not announce yet (any stored value might predate them)."""
    client = redis_client.available() if enabled() else None
    if client is None or not _announce_missed(client):
        return None, None
    generation_key, value_key = _generation_key(subject), _value_key(subject, name)
    try:
        generation, stored = client.mget(generation_key, value_key)
        if generation is None:
            client.set(generation_key, _new_token(), nx=True, ex=_generation_seconds())
            generation = client.get(generation_key)
    except redis.RedisError as error:
        redis_client.failed(error, f"reading {name} of {subject}")
        return None, None
    tag = generation + b"\n" if generation else None
    if tag and stored and stored.startswith(tag):
        return generation, stored[len(tag) :]
    return generation, None


def store(subject: str, name: str, generation: bytes | None, value: bytes) -> None:
    """Keep `value` as `name` of `subject` while `generation`, as lookup() read it before
    the value was made, is current.  A Redis error only loses the value."""
    client = redis_client.available()
    if generation is None or client is None:
        return
    try:
        client.set(_value_key(subject, name), generation + b"\n" + value, ex=_value_seconds())
    except redis.RedisError as error:
        redis_client.failed(error, f"storing {name} of {subject}")


def changed(subject: str, session: Session | None = None) -> None:
    """Note that this transaction (of `session`, by default the app's) changes what
    `subject`'s values show; once it commits, none of the values stored before is used
    again."""
    after_commit.defer(db.session() if session is None else session, _CHANGED, subject)


def forget(*subjects: str) -> None:
    """Start a new generation of each subject now (after a commit, or outside any).

    When Redis cannot be told (or failed a moment ago), this process remembers the
    subjects and tells Redis before it reads anything from it again."""
    if not subjects or not enabled():
        return
    client = redis_client.available()
    if client is None or not _new_generations(client, subjects):
        current_app.extensions[_UNANNOUNCED].update(subjects)
        log.error("shared store: could not start new generations of %s yet", subjects)


def _forget_changed(subjects: list[str]) -> None:
    forget(*sorted(subjects))


def _announce_missed(client: redis.Redis) -> bool:
    """Tell Redis of the changes this process could not announce; False if it still can't."""
    missed: set[str] = current_app.extensions[_UNANNOUNCED]
    if not missed:
        return True
    subjects = set(missed)
    if not _new_generations(client, subjects):
        return False
    missed.difference_update(subjects)
    return True


def _new_generations(client: redis.Redis, subjects) -> bool:
    try:
        with client.pipeline(transaction=False) as pipe:
            for subject in subjects:
                pipe.set(_generation_key(subject), _new_token(), ex=_generation_seconds())
            pipe.execute()
    except redis.RedisError as error:
        redis_client.failed(error, "starting new generations")
        return False
    return True


def _generation_key(subject: str) -> str:
    return f"{_subject_prefix(subject)}:generation"


def _value_key(subject: str, name: str) -> str:
    return f"{_subject_prefix(subject)}:{name}"


def _subject_prefix(subject: str) -> str:
    return redis_client.key(f"shared:{subject}")


def _value_seconds() -> int:
    return current_app.config["SHARED_PAGE_SECONDS"]


def _generation_seconds() -> int:
    # Outlives every value tagged with it; a lost generation only makes its values misses.
    return _value_seconds() * 4


def _new_token() -> str:
    return uuid.uuid4().hex
