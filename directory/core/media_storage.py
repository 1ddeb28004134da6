"""Where uploaded media live: a small storage interface, a folder by default.

A stored file is named by the SHA-256 of its bytes plus its suffix, so a name never
changes meaning: browsers and proxies may keep it forever, and the same bytes stored twice
are one file.  Because one file may then serve several rows, whoever removes a row asks
whether anything else still names the file before deleting it.

Files written during a transaction that does not commit are removed again when it ends
(`save` registers them with the session), so a failed upload or a rolled-back request
leaves no orphan behind.  Deleting files waits for the commit through the one
after-commit mechanism (the caller defers them), so a rollback never loses a file a
committed row still names.

`MEDIA_ROOT` names the folder (default: `media/` in the instance folder).  Another backend
(object storage) implements the same four methods and is returned by `media_storage()`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from directory.core import after_commit

log = logging.getLogger(__name__)

# A stored name: 64 hex digits and a short suffix; anything else is not ours.
NAME_PATTERN = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{2,5}$")
_CREATED = "media_created"  # session.info: names written by the open transaction
# The after-commit kind whose items are names no committed row uses any more.
MEDIA_UNUSED = "media_unused"


@dataclass(frozen=True)
class StoredFile:
    name: str
    created: bool  # False when the same bytes were stored already


class MediaStorage(Protocol):
    def save(self, data: bytes, suffix: str) -> StoredFile: ...

    def path(self, name: str) -> Path | None: ...

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None: ...


def content_name(data: bytes, suffix: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{suffix}"


def is_stored_name(name: str) -> bool:
    return bool(NAME_PATTERN.match(name))


class FolderStorage:
    """Files in one folder, written atomically (a temporary file renamed into place)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def save(self, data: bytes, suffix: str) -> StoredFile:
        name = content_name(data, suffix)
        target = self.root / name
        if target.exists():
            return StoredFile(name, created=False)
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return StoredFile(name, created=True)

    def path(self, name: str) -> Path | None:
        if not is_stored_name(name):
            return None
        target = self.root / name
        return target if target.is_file() else None

    def exists(self, name: str) -> bool:
        return self.path(name) is not None

    def delete(self, name: str) -> None:
        if is_stored_name(name):
            (self.root / name).unlink(missing_ok=True)


def media_root(app: Flask) -> Path:
    return Path(app.config.get("MEDIA_ROOT") or Path(app.instance_path) / "media")


def init_app(app: Flask, session_class: type[Session]) -> None:
    app.extensions["media_storage"] = FolderStorage(media_root(app))
    after_commit.on_commit(MEDIA_UNUSED, _delete_unused)
    for name, listener in (
        ("after_commit", _keep_on_commit),
        ("after_transaction_end", _remove_uncommitted),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def media_storage() -> MediaStorage:
    return current_app.extensions["media_storage"]


def save(session: Session, data: bytes, suffix: str) -> str:
    """Store `data` and return its name; the file is removed again unless `session`'s
    transaction commits."""
    stored = media_storage().save(data, suffix)
    if stored.created:
        session.info.setdefault(_CREATED, []).append(stored.name)
    return stored.name


def _delete_unused(names: list[str]) -> None:
    storage = media_storage()
    for name in names:
        storage.delete(name)


def _keep_on_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_CREATED, None)


def _remove_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is not None:
        return
    names = session.info.pop(_CREATED, None)
    if not names:
        return
    storage = media_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the request has failed already; say so, do not fail again
            log.exception("could not remove the uncommitted media file %s", name)
