"""Work that must wait until a transaction has committed: the one place it is collected.

A caller says what must happen once the session's work is durable with
`defer(session, kind, item)`: an outbox message to dispatch, a subject of the shared store
whose stored values are now past, the search index's generation to bump.  Items are kept
in the session, each tagged with the transaction (or savepoint) open when it was deferred:

- after the outermost commit, each kind's handlers run once with its items, in the order
  they were deferred and without repeats;
- a savepoint that rolls back drops only the items deferred inside it, so the outer
  transaction's items still run when it commits;
- an outer rollback (or a session closed without committing) drops everything.

A handler runs after the data is durable, so it must never raise into the caller; a
failing handler is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

_PENDING = "after_commit_pending"  # session.info: [(transaction, kind, item), ...]

Handler = Callable[[list[Any]], None]
_handlers: dict[str, list[Handler]] = {}


def on_commit(kind: str, handler: Handler) -> None:
    """Run `handler(items)` after every outermost commit that deferred items of `kind`.

    A kind may have several handlers (whoever presents what changed listens beside the
    owner); registering the same function again changes nothing."""
    handlers = _handlers.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def announce(kind: str, items: list[Any]) -> None:
    """Hand `items` to `kind`'s handlers now: for a change made outside the session (a
    full reindex swapping tables on a connection of its own), already durable."""
    _run(kind, _unique(items))


def defer(session: Session, kind: str, item: Hashable) -> None:
    """Have `item` handled by `kind`'s handlers once `session`'s transaction commits."""
    if kind not in _handlers:
        raise KeyError(f"no after-commit handler for {kind!r}")
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, kind, item))


def pending(session: Session, kind: str) -> list[Any]:
    """The items of `kind` this session would hand over if it committed now."""
    return _unique(item for _, k, item in session.info.get(_PENDING, ()) if k == kind)


def install(session_class: type[Session]) -> None:
    """Listen to the app's sessions (idempotent)."""
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its items now wait for the outer commit
    entries = session.info.pop(_PENDING, None)
    if not entries:
        return
    by_kind: dict[str, list[Any]] = {}
    for _, kind, item in entries:
        by_kind.setdefault(kind, []).append(item)
    for kind, items in by_kind.items():
        _run(kind, _unique(items))


def _run(kind: str, items: list[Any]) -> None:
    for handler in _handlers[kind]:
        try:
            handler(items)
        except Exception:  # the change is durable; a handler must not undo the request
            log.exception("after commit: a %s handler failed", kind)


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    entries = session.info.get(_PENDING)
    if not entries:
        return
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
        return
    kept = [entry for entry in entries if not _inside(entry[0], previous_transaction)]
    session.info[_PENDING] = kept


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without a commit handing the items over (a close).
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _inside(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _unique(items) -> list[Any]:
    return list(dict.fromkeys(items))
