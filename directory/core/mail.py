"""Outgoing email: rendered when queued, delivered by a worker at least once per outbox row.

`queue_email` renders the text and HTML bodies from templates/emails/ in the caller's
transaction and writes an outbox row; the `emails.send` task calls `deliver`:

1. claim: a `sent_emails` row (unique per outbox row) is committed before sending, so two
   live runs never both send.  A claim is a lease: one still `sending` after
   EMAIL_CLAIM_LEASE_SECONDS (longer than a task may live) belongs to a run that died,
   and the next run takes it over;
2. send, with a Message-ID derived from the outbox row, the same on every attempt, so a
   message sent twice (a run killed after the server accepted it) is recognisable;
3. record "sent" and mark the job done in a short transaction of its own, retried for
   MAIL_RECORD_RETRY_SECONDS if the database fails, and never by sending again.

A message may carry extra headers (`headers=`), written unfolded: a mass email's
`List-Unsubscribe` holds a long signed link, which folding would break.

A send that fails releases the claim and raises, so the task retries.  docs/jobs.md states
the guarantees.  Delivery goes to SMTP (`smtp://`, `smtp+starttls://`, `smtps://`) or, in
the local default, to .eml files in a folder (`file://`).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from directory.core import outbox
from directory.core.models import UTCDateTime, check_in, utcnow
from directory.extensions import db

SEND_EMAIL_TASK = "emails.send"

# Headers the caller sets (`queue_email(headers=...)`) are written as given, on one line:
# folding would cut a long link in List-Unsubscribe into encoded words no client follows.
# The headers we set ourselves are still folded as usual.
_UNFOLDED_EXTRA_HEADERS = policy.default.clone(refold_source="none")

log = logging.getLogger(__name__)


class SentButNotRecorded(Exception):
    """The message went out, but "sent" could not be written: record it later, never
    send it again."""


class SentEmailState(StrEnum):
    SENDING = "sending"
    SENT = "sent"


class SentEmail(db.Model):
    """One row per outbox message that was (or is being) delivered: the idempotency key."""

    __tablename__ = "sent_emails"
    __table_args__ = (sa.CheckConstraint(check_in("state", list(SentEmailState)), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox.id", ondelete="CASCADE"), unique=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    template: Mapped[str] = mapped_column(sa.String(80))
    message_id: Mapped[str] = mapped_column(sa.String(200), default="")
    state: Mapped[str] = mapped_column(sa.String(10), default=SentEmailState.SENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the current claimant took the claim (its lease starts here).
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def queue_email(
    to: str,
    template: str,
    subject: str,
    *,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> outbox.OutboxMessage:
    """Render templates/emails/<template>.txt (and .html if present) and queue the message,
    with `headers` added to the standard ones (printable ASCII, one line each).

    Transactional: nothing is sent unless the caller's transaction commits.
    """
    for name, value in (headers or {}).items():
        if not (name + value).isascii() or any(ord(ch) < 32 for ch in name + value):
            raise ValueError(f"email header {name!r} must be printable ASCII on one line")
    context = {"subject": subject, **context}
    text = render_template(f"emails/{template}.txt", **context)
    try:
        html = render_template(f"emails/{template}.html", **context)
    except TemplateNotFound:
        html = ""
    extra = {"headers": headers} if headers else {}
    return outbox.enqueue(
        SEND_EMAIL_TASK, to=to, subject=subject, template=template, text=text, html=html, **extra
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers of a one-click unsubscribe (RFC 2369 and RFC 8058): mail clients show an
    "Unsubscribe" button that POSTs `List-Unsubscribe=One-Click` to `url` (https in
    production), which must work without signing in.  Transactional emails carry none."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def deliver(outbox_id: int, *, already_sent: bool = False) -> bool:
    """Send the email queued as outbox row `outbox_id`; True if this call sent it.

    At least once, and twice only when a run dies between the server accepting the
    message and the claim being marked sent.  Raises what the transport raised (the claim
    is released first) so the task can retry, or SentButNotRecorded when the message went
    out but "sent" could not be written: the task then retries with `already_sent`, which
    only records it.
    """
    if already_sent:
        _record_sent(outbox_id, message_id_for(outbox_id))
        return False
    message_row = db.session.get(outbox.OutboxMessage, outbox_id)
    if message_row is None or message_row.state != outbox.OutboxState.PENDING:
        return False
    payload = message_row.payload
    if not _claim(outbox_id, payload):
        return False  # sent already, or another live run holds the claim
    email = build_message(payload, outbox_id)
    try:
        config = current_app.config
        transport_for(config["MAIL_URL"], config["MAIL_TIMEOUT_SECONDS"]).send(email)
    except Exception:
        _release(outbox_id)
        raise
    _record_sent(outbox_id, email["Message-ID"])
    return True


def _claim(outbox_id: int, payload: dict[str, Any]) -> bool:
    """Take the right to send: a new claim, or one whose lease ran out (committed)."""
    db.session.add(
        SentEmail(
            outbox_id=outbox_id,
            to_address=payload["to"],
            subject=payload["subject"][:200],
            template=payload.get("template", ""),
        )
    )
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    now = utcnow()
    lapsed = now - timedelta(seconds=current_app.config["EMAIL_CLAIM_LEASE_SECONDS"])
    taken = db.session.execute(
        sa.update(SentEmail)
        .where(
            SentEmail.outbox_id == outbox_id,
            SentEmail.state == SentEmailState.SENDING,
            SentEmail.claimed_at < lapsed,
        )
        .values(claimed_at=now)
    )
    db.session.commit()
    if taken.rowcount == 1:
        log.warning("email %s: taking over a claim whose run died mid-send", outbox_id)
        return True
    return False


def _release(outbox_id: int) -> None:
    db.session.rollback()
    db.session.execute(
        sa.delete(SentEmail).where(
            SentEmail.outbox_id == outbox_id, SentEmail.state == SentEmailState.SENDING
        )
    )
    db.session.commit()


def _record_sent(outbox_id: int, message_id: str) -> None:
    """Mark the claim sent and the job done, in a transaction of its own; retried while
    the database is unreachable, up to MAIL_RECORD_RETRY_SECONDS."""
    deadline = time.monotonic() + current_app.config["MAIL_RECORD_RETRY_SECONDS"]
    pause = 0.25
    while True:
        try:
            db.session.execute(
                sa.update(SentEmail)
                .where(SentEmail.outbox_id == outbox_id)
                .values(state=SentEmailState.SENT, message_id=message_id, sent_at=utcnow())
            )
            outbox.mark_done(outbox_id)
            db.session.commit()
            return
        except DBAPIError as error:
            db.session.rollback()
            if time.monotonic() + pause > deadline:
                raise SentButNotRecorded(f"email {outbox_id} went out: {error}") from error
            log.warning("email %s went out; recording it failed, retrying: %s", outbox_id, error)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def message_id_for(outbox_id: int) -> str:
    """The Message-ID of the email queued as `outbox_id`: the same on every attempt."""
    _name, address = parseaddr(current_app.config["MAIL_FROM"])
    domain = address.rpartition("@")[2] or "localhost"
    return f"<outbox-{outbox_id}@{domain}>"


def build_message(payload: dict[str, Any], outbox_id: int) -> EmailMessage:
    email = EmailMessage(policy=_UNFOLDED_EXTRA_HEADERS)
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = payload["to"]
    email["Subject"] = payload["subject"]
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id_for(outbox_id)
    for name, value in payload.get("headers", {}).items():
        email.set_raw(name, value)  # a raw value is never refolded under this policy
    email.set_content(payload["text"])
    if payload.get("html"):
        email.add_alternative(payload["html"], subtype="html")
    return email


class FolderTransport:
    """Writes each message as an .eml file: the local default, read by the dev mailbox."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, email: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(email))


class SMTPTransport:
    def __init__(
        self, host: str, port: int, *, mode: str, username: str, password: str, timeout: float
    ):
        self.host, self.port, self.mode = host, port, mode
        self.username, self.password = username, password
        self.timeout = timeout

    def send(self, email: EmailMessage) -> None:
        if self.mode == "smtps":
            client = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.mode == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password)
            client.send_message(email)


def transport_for(mail_url: str, timeout: float = 30.0) -> FolderTransport | SMTPTransport:
    """The transport a MAIL_URL names; a clear error for a scheme we do not know."""
    parts = urlsplit(mail_url)
    if parts.scheme == "file":
        return FolderTransport(Path(unquote(parts.netloc + parts.path)))
    modes = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "smtps"}
    if parts.scheme not in modes:
        raise ValueError(
            f"MAIL_URL scheme {parts.scheme!r} is not file, smtp, smtp+starttls or smtps"
        )
    default_port = {"plain": 25, "starttls": 587, "smtps": 465}[modes[parts.scheme]]
    return SMTPTransport(
        parts.hostname or "localhost",
        parts.port or default_port,
        mode=modes[parts.scheme],
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def mail_folder() -> Path | None:
    """The folder emails are written to, when the local folder transport is configured."""
    transport = transport_for(current_app.config["MAIL_URL"])
    return transport.folder if isinstance(transport, FolderTransport) else None
