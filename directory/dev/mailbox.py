"""Read the .eml files the local mail folder holds, newest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

# Files are named by the folder transport; anything else in the folder is ignored.
MESSAGE_NAME = re.compile(r"^[0-9T]+-[0-9a-f]{8}\.eml$")


@dataclass(frozen=True)
class MailboxMessage:
    name: str
    to: str
    subject: str
    sent_at: datetime
    text: str


def _read(path: Path) -> MailboxMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    body = message.get_body(preferencelist=("plain",))
    return MailboxMessage(
        name=path.name,
        to=str(message["To"]),
        subject=str(message["Subject"]),
        sent_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        text=body.get_content() if body is not None else "",
    )


def list_messages(folder: Path, *, offset: int, limit: int) -> tuple[list[MailboxMessage], int]:
    """One page of messages, newest first, and how many there are in all."""
    if not folder.is_dir():
        return [], 0
    names = sorted((p.name for p in folder.iterdir() if MESSAGE_NAME.match(p.name)), reverse=True)
    return [_read(folder / name) for name in names[offset : offset + limit]], len(names)


def read_message(folder: Path, name: str) -> MailboxMessage | None:
    if not MESSAGE_NAME.match(name) or not (folder / name).is_file():
        return None
    return _read(folder / name)
