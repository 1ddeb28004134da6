"""Email delivery over real SMTP, and the MAIL_URL forms."""

from __future__ import annotations

import pytest

from directory.core.mail import (
    FolderTransport,
    SMTPTransport,
    queue_email,
    transport_for,
    unsubscribe_headers,
)
from directory.extensions import db


def test_email_goes_through_a_real_smtp_server(make_app, smtp_server):
    app = make_app(MAIL_URL=smtp_server.url)
    with app.app_context():
        queue_email(
            "Someone@Example.com",
            "reset_password",
            "Reset your password",
            user={"display_name": "Someone"},
            link="http://localhost/reset-password/abc",
        )
        db.session.commit()
        db.session.remove()
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["Subject"] == "Reset your password"
    assert "http://localhost/reset-password/abc" in messages[0].get_body(("plain",)).get_content()


def test_mail_urls_name_their_transport():
    assert isinstance(transport_for("file:///tmp/mail"), FolderTransport)
    smtp = transport_for("smtp+starttls://user:p%40ss@mail.example.com")
    assert isinstance(smtp, SMTPTransport)
    assert (smtp.host, smtp.port, smtp.mode, smtp.password) == (
        "mail.example.com",
        587,
        "starttls",
        "p@ss",
    )
    assert transport_for("smtps://mail.example.com").port == 465


def test_an_unknown_mail_scheme_is_a_clear_error():
    with pytest.raises(ValueError, match="MAIL_URL scheme"):
        transport_for("pigeon://coop")


def test_extra_headers_arrive_over_smtp_on_one_line_and_cannot_inject(make_app, smtp_server):
    link = "https://directory.example/review-emails/unsubscribe/" + "x" * 150
    app = make_app(MAIL_URL=smtp_server.url)
    with app.app_context():
        with pytest.raises(ValueError, match="one line"):
            queue_email(
                "a@example.com",
                "verify_account",
                "Hi",
                headers={"List-Unsubscribe": "<x>\r\nBcc: b@example.com"},
            )
        queue_email(
            "a@example.com",
            "verify_account",
            "Confirm",
            headers=unsubscribe_headers(link),
            user={},
            link="x",
        )
        db.session.commit()
        db.session.remove()
    (message,) = smtp_server.wait_for(1)
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As it came over the wire: one line, not folded into encoded words.
    assert dict(message.raw_items())["List-Unsubscribe"] == f"<{link}>"
