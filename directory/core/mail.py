"""Outgoing email: rendered when queued, delivered by a worker once per outbox row.

`queue_email` renders the text and HTML bodies from templates/emails/ in the caller's
transaction and writes an outbox row; the `emails.send` task calls `deliver`, which claims
the row in `sent_emails` (unique per outbox row) before sending, so a retried or duplicated
task never sends twice.  Delivery goes to SMTP (`smtp://`, `smtp+starttls://`, `smtps://`)
or, in the local default, to .eml files in a folder (`file://`).
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from directory.core import outbox
from directory.core.models import UTCDateTime, check_in, utcnow
from directory.extensions import db

SEND_EMAIL_TASK = "emails.send"


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
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def queue_email(to: str, template: str, subject: str, **context: Any) -> outbox.OutboxMessage:
    """Render templates/emails/<template>.txt (and .html if present) and queue the message.

    Transactional: nothing is sent unless the caller's transaction commits.
    """
    context = {"subject": subject, **context}
    text = render_template(f"emails/{template}.txt", **context)
    try:
        html = render_template(f"emails/{template}.html", **context)
    except TemplateNotFound:
        html = ""
    return outbox.enqueue(
        SEND_EMAIL_TASK, to=to, subject=subject, template=template, text=text, html=html
    )


def deliver(outbox_id: int) -> bool:
    """Send the email queued as outbox row `outbox_id`; True if this call sent it.

    Idempotent: the claim row in `sent_emails` is committed before the message goes out,
    so two concurrent runs cannot both send; a delivery error releases the claim and
    re-raises, so the task can retry.
    """
    message_row = db.session.get(outbox.OutboxMessage, outbox_id)
    if message_row is None or message_row.state != outbox.OutboxState.PENDING:
        return False
    payload = message_row.payload
    claim = SentEmail(
        outbox_id=outbox_id,
        to_address=payload["to"],
        subject=payload["subject"][:200],
        template=payload.get("template", ""),
    )
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False  # another run holds (or finished) the claim

    email = build_message(payload)
    try:
        transport_for(current_app.config["MAIL_URL"]).send(email)
    except Exception:
        db.session.delete(claim)
        db.session.commit()
        raise
    claim.state = SentEmailState.SENT
    claim.message_id = email["Message-ID"]
    claim.sent_at = utcnow()
    outbox.mark_done(outbox_id)
    db.session.commit()
    return True


def build_message(payload: dict[str, Any]) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = payload["to"]
    email["Subject"] = payload["subject"]
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=uuid.uuid4().hex[:12], domain="directory.local")
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
    def __init__(self, host: str, port: int, *, mode: str, username: str, password: str):
        self.host, self.port, self.mode = host, port, mode
        self.username, self.password = username, password

    def send(self, email: EmailMessage) -> None:
        if self.mode == "smtps":
            client = smtplib.SMTP_SSL(
                self.host, self.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=30)
        with client:
            if self.mode == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password)
            client.send_message(email)


def transport_for(mail_url: str) -> FolderTransport | SMTPTransport:
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
    )


def mail_folder() -> Path | None:
    """The folder emails are written to, when the local folder transport is configured."""
    transport = transport_for(current_app.config["MAIL_URL"])
    return transport.folder if isinstance(transport, FolderTransport) else None
