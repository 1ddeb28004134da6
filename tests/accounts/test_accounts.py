"""Accounts through HTTP: register, verify, sign in and out, reset a password."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa

from directory.accounts import services
from directory.accounts.models import User
from directory.core.addresses import InvalidEmail
from directory.core.outbox import OutboxMessage
from directory.core.passwords import CONTROL, UNREADABLE, UnusablePassword, verify_password
from directory.core.tokens import TokenPurpose, make_token
from directory.extensions import db
from tests.factories import PASSWORD, create_user
from tests.pages import field_errors

LINK = re.compile(r"http://localhost(/\S+)")


def emails_in(folder) -> list:
    messages = []
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as handle:
            messages.append(BytesParser(policy=policy.default).parse(handle))
    return messages


def link_in(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def register(client, email="Ann.Client@Example.COM", password="a long password"):
    return client.post(
        "/register",
        data={"display_name": "Ann", "email": email, "password": password, "confirm": password},
    )


def test_registering_sends_a_link_that_confirms_and_signs_in(client, mail_folder):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/check-your-inbox"
    assert b"ann.client@example.com" in client.get("/register/check-your-inbox").data.lower()
    assert client.get("/account").status_code == 302  # not signed in before confirming
    user = db.session.scalar(sa.select(User))
    assert user.email == "ann.client@example.com"  # normalised
    assert user.password_hash.startswith("$argon2id$")
    assert not user.email_verified

    [message] = emails_in(mail_folder)
    assert message["To"] == "ann.client@example.com"
    response = client.get(link_in(message))
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email_verified
    assert b"confirmed" in client.get("/account").data

    # Opened again, the link confirms nothing more and signs no one in.
    other = client.application.test_client()
    assert other.get(link_in(message)).status_code == 302
    assert other.get("/account").status_code == 302


def test_registering_a_known_address_answers_as_for_a_new_one_and_tells_its_owner(
    client, mail_folder
):
    create_user("ann@example.com", display_name="Ann Owner")
    db.session.commit()
    known = register(client, email="ANN@example.com")
    fresh = register(client.application.test_client(), email="new.person@example.com")
    assert known.status_code == fresh.status_code == 302
    assert known.headers["Location"] == fresh.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2

    to_owner = [m for m in emails_in(mail_folder) if m["To"] == "ann@example.com"]
    [message] = to_owner
    assert message["Subject"] == "Someone tried to create an account with your address"
    body = message.get_body(("plain",)).get_content()
    assert "/sign-in" in body and "/forgot-password" in body


def test_bad_registration_input_gets_messages_and_saves_nothing(client):
    response = client.post(
        "/register",
        data={"display_name": "", "email": "not-an-email", "password": "short", "confirm": "other"},
    )
    assert response.status_code == 422
    for message in (b"Tell us what to call you", b"valid email", b"between 10 and 128", b"differ"):
        assert message in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_sign_in_with_the_right_password_and_out_again(client):
    create_user("bob@example.com")
    db.session.commit()
    response = client.post("/sign-in", data={"email": " Bob@Example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert b"Sign out" in client.get("/").data
    client.post("/sign-out")
    assert client.get("/account").status_code == 302  # back to sign-in


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    create_user("bob@example.com")
    db.session.commit()
    response = client.post("/sign-in", data={"email": "bob@example.com", "password": "nope"})
    assert response.status_code == 422
    assert b"do not match an account" in response.data
    unknown = client.post("/sign-in", data={"email": "who@example.com", "password": "nope"})
    assert b"do not match an account" in unknown.data


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "/\t/evil.example"],
)
def test_sign_in_never_redirects_off_site(client, target):
    create_user("bob@example.com")
    db.session.commit()
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": "bob@example.com", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/signed-in"  # our own landing, never theirs


def test_password_reset_link_works_once(client, mail_folder):
    create_user("carol@example.com", verified=False)
    db.session.commit()
    client.post("/forgot-password", data={"email": "carol@example.com"})
    [message] = emails_in(mail_folder)
    link = link_in(message)

    new_password = "a brand new password"
    response = client.post(link, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert client.post(link, data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 400
    response = client.post(
        "/sign-in", data={"email": "carol@example.com", "password": new_password}
    )
    assert response.status_code == 302
    carol = db.session.scalar(sa.select(User).where(User.email == "carol@example.com"))
    assert carol.email_verified  # the link proved the address


def test_forgot_password_answers_the_same_for_unknown_addresses(client, mail_folder):
    known = create_user("dan@example.com")
    db.session.commit()
    unknown_answer = client.post("/forgot-password", data={"email": "nobody@example.com"})
    known_answer = client.post("/forgot-password", data={"email": known.email})
    assert unknown_answer.status_code == known_answer.status_code == 302
    assert unknown_answer.headers["Location"] == known_answer.headers["Location"]
    # Both did the same work: one email each, the unknown address told there is no account.
    by_address = {message["To"]: message for message in emails_in(mail_folder)}
    assert set(by_address) == {"nobody@example.com", "dan@example.com"}
    assert "no account uses it" in by_address["nobody@example.com"].get_content()
    assert "/reset-password/" in by_address["dan@example.com"].get_content()


def test_tampered_expired_and_wrong_purpose_links_are_refused(app, client):
    user = create_user("erin@example.com", verified=False)
    db.session.commit()
    good = make_token(TokenPurpose.VERIFY_ACCOUNT_EMAIL, {"uid": user.id, "email": user.email})
    assert client.get(f"/account/verify/{good[:-2]}xx").status_code == 400
    wrong_purpose = make_token(TokenPurpose.RESET_PASSWORD, {"uid": user.id, "email": user.email})
    assert client.get(f"/account/verify/{wrong_purpose}").status_code == 400
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/account/verify/{good}")
    assert response.status_code == 400
    assert b"expired" in response.data
    db.session.refresh(user)
    assert not user.email_verified


def test_create_moderator_makes_a_verified_moderator(runner):
    result = runner.invoke(args=["users", "create-moderator", "Mod@Example.com"])
    assert result.exit_code == 0, result.output
    assert "mod@example.com is now a moderator" in result.output
    assert "password is:" in result.output
    moderator = db.session.scalar(sa.select(User).where(User.email == "mod@example.com"))
    assert moderator.is_moderator and moderator.email_verified

    again = runner.invoke(args=["users", "create-moderator", "mod@example.com", "--admin"])
    assert "mod@example.com is now an admin" in again.output
    assert "password is:" not in again.output


NOT_REAL_TEXT = {
    "replacement character": ("a long pass\ufffdword", UNREADABLE),
    "bell (C0)": ("a long pass\x07word", CONTROL),
    "tab": ("a long\tpassword", CONTROL),
    "next line (C1)": ("a long pass\x85word", CONTROL),
}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(("password", "message"), NOT_REAL_TEXT.values(), ids=NOT_REAL_TEXT.keys())
def test_registering_with_a_password_that_is_not_real_text_is_refused(client, password, message):
    response = register(client, password=password)
    assert response.status_code == 422
    assert field_errors(response, "password") == [message]
    assert count(User) == 0
    assert count(OutboxMessage) == 0


def multipart(fields: dict[str, bytes], boundary: str = "FORM-BOUNDARY") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def test_a_password_sent_as_bytes_that_are_not_utf8_is_refused(client):
    """Bytes that are not UTF-8 in a multipart form arrive as U+FFFD: not what was typed."""
    password = b"a long pass\xffword"
    response = client.post(
        "/register",
        data=multipart(
            {
                "display_name": b"Ann",
                "email": b"ann@example.com",
                "password": password,
                "confirm": password,
            }
        ),
        content_type="multipart/form-data; boundary=FORM-BOUNDARY",
    )
    assert response.status_code == 422
    assert field_errors(response, "password") == [UNREADABLE]
    assert count(User) == 0


def test_a_nul_in_a_password_is_refused_at_the_door(client):
    response = register(client, password="a long pass\x00word")
    assert response.status_code == 400
    assert count(User) == 0


def test_spaces_and_accents_make_a_fine_password(client):
    assert register(client, password="  Zoë's lönger passphrase  ").status_code == 302


@pytest.mark.parametrize(("password", "message"), NOT_REAL_TEXT.values(), ids=NOT_REAL_TEXT.keys())
def test_resetting_to_a_password_that_is_not_real_text_is_refused(
    client, mail_folder, password, message
):
    create_user("carol@example.com")
    db.session.commit()
    client.post("/forgot-password", data={"email": "carol@example.com"})
    link = link_in(emails_in(mail_folder)[0])

    response = client.post(link, data={"password": password, "confirm": password})
    assert response.status_code == 422
    assert field_errors(response, "password") == [message]
    carol = db.session.scalar(sa.select(User).where(User.email == "carol@example.com"))
    db.session.refresh(carol)
    assert verify_password(carol.password_hash, PASSWORD)  # unchanged
    fixed = "a brand new password"
    assert client.post(link, data={"password": fixed, "confirm": fixed}).status_code == 302


@pytest.mark.parametrize("email", ["", "  ", "not-an-address", None])
def test_registering_refuses_an_address_that_cannot_receive_mail_even_past_the_form(app, email):
    with pytest.raises(InvalidEmail):
        services.register_user(email, "Ann", "a long password")
    db.session.flush()
    assert count(User) == 0
    assert count(OutboxMessage) == 0


def test_the_services_refuse_a_password_that_is_not_real_text_even_past_the_form(app):
    for password in ("a long pass\ufffdword", "a long pass\x00word"):
        with pytest.raises(UnusablePassword):
            services.register_user("ann@example.com", "Ann", password)
    user = create_user("carol@example.com")
    token = make_token(
        TokenPurpose.RESET_PASSWORD, {"uid": user.id, "fp": user.password_hash[-16:]}
    )
    with pytest.raises(UnusablePassword):
        services.reset_password(token, "a long\x1bpassword")
    assert verify_password(user.password_hash, PASSWORD)
    db.session.flush()
    assert count(User) == 1
    assert count(OutboxMessage) == 0


def test_create_moderator_refuses_an_address_that_is_not_one(runner):
    result = runner.invoke(args=["users", "create-moderator", "not-an-address"])
    assert result.exit_code == 2
    assert "Enter a valid email address" in result.output
    assert count(User) == 0


def test_login_redirects_to_sign_in_keeping_next(client):
    plain = client.get("/login")
    assert plain.status_code == 302 and plain.headers["Location"] == "/sign-in"
    onward = client.get("/login", query_string={"next": "/manage"})
    assert onward.status_code == 302 and onward.headers["Location"] == "/sign-in?next=/manage"
    followed = client.get("/login", query_string={"next": "/account"}, follow_redirects=True)
    assert followed.status_code == 200 and b"Sign in" in followed.data


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/"])
def test_login_never_passes_on_an_off_site_next(client, target):
    response = client.get("/login", query_string={"next": target})
    assert response.headers["Location"] == "/sign-in"
