"""Changing one's name, password and email address."""

from __future__ import annotations

import sqlalchemy as sa

from directory.accounts.models import User
from directory.core.passwords import verify_password
from directory.extensions import db
from tests.factories import PASSWORD, create_user
from tests.pages import field_errors
from tests.self_service.conftest import emails_in, links_in, sign_in, signed_in

NEW_PASSWORD = "a brand new passphrase"


def test_account_pages_need_sign_in(client):
    for path in (
        "/account/reviews",
        "/account/name",
        "/account/email",
        "/account/password",
        "/account/export.json",
        "/account/delete",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.location, path


def test_changing_the_name(client):
    user = create_user(display_name="Ann")
    db.session.commit()
    sign_in(client, user.email)
    assert client.post("/account/name", data={"display_name": ""}).status_code == 422
    response = client.post("/account/name", data={"display_name": "  Ann Lee "})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.display_name == "Ann Lee"


def test_a_password_change_needs_the_current_password(client):
    user = create_user()
    db.session.commit()
    sign_in(client, user.email)
    response = client.post(
        "/account/password",
        data={"current_password": "not it", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert field_errors(response, "current_password") == ["That is not your current password."]
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, mail_folder):
    user = create_user()
    db.session.commit()
    here, elsewhere, remembered = app.test_client(), app.test_client(), app.test_client()
    for client in (here, elsewhere):
        sign_in(client, user.email)
    sign_in(remembered, user.email, remember="y")
    # Only the remember cookie is left: the browser was closed.
    remembered.delete_cookie("session")
    assert signed_in(remembered)
    remembered.delete_cookie("session")

    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert not signed_in(remembered)
    db.session.refresh(user)
    assert user.session_version == 2
    assert verify_password(user.password_hash, NEW_PASSWORD)
    [notice] = emails_in(mail_folder)
    assert notice["To"] == user.email and "password was changed" in notice["Subject"]


def request_change(client, new_email: str, password: str = PASSWORD):
    return client.post("/account/email", data={"email": new_email, "password": password})


def test_an_email_change_is_confirmed_by_the_new_address_once(app, client, mail_folder):
    user = create_user("old@example.com")
    create_user("taken@example.com")
    db.session.commit()
    sign_in(client, user.email)

    assert field_errors(request_change(client, "new@example.com", "wrong"), "password")
    assert field_errors(request_change(client, "taken@example.com"), "email")
    assert field_errors(request_change(client, "not an address"), "email")
    assert emails_in(mail_folder) == []

    assert request_change(client, "New@Example.com").status_code == 302
    db.session.refresh(user)
    assert user.email == "old@example.com"  # nothing changes before the link is opened
    [confirmation] = emails_in(mail_folder)
    assert confirmation["To"] == "new@example.com"
    [link] = [link for link in links_in(confirmation) if "/account/email/confirm/" in link]

    assert app.test_client().get(link).status_code == 302  # works signed out too
    db.session.refresh(user)
    assert user.email == "new@example.com" and user.email_verified
    notice = emails_in(mail_folder)[1]
    assert notice["To"] == "old@example.com"
    assert "new@example.com" in notice.get_body(("plain",)).get_content()

    assert client.get(link).status_code == 400  # used
    assert db.session.scalar(sa.select(User.email).where(User.id == user.id)) == "new@example.com"


def test_an_email_change_link_expires(app, client, mail_folder):
    user = create_user("old@example.com")
    db.session.commit()
    sign_in(client, user.email)
    request_change(client, "new@example.com")
    [link] = [
        link for link in links_in(emails_in(mail_folder)[0]) if "/account/email/confirm/" in link
    ]
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    assert client.get(link).status_code == 400
    db.session.refresh(user)
    assert user.email == "old@example.com"


def test_every_account_page_opens_for_its_owner(client):
    user = create_user(display_name="Ann")
    db.session.commit()
    sign_in(client, user.email)
    for path, heading in (
        ("/account", "Your account"),
        ("/account/reviews", "My reviews"),
        ("/account/name", "Change your name"),
        ("/account/email", "Change your email address"),
        ("/account/password", "Change your password"),
        ("/account/delete", "Delete your account"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f"<h1>{heading}</h1>" in response.get_data(True), path


def test_a_password_reset_by_link_ends_every_session_too(app, mail_folder):
    user = create_user()
    db.session.commit()
    elsewhere = app.test_client()
    sign_in(elsewhere, user.email)
    app.test_client().post("/forgot-password", data={"email": user.email})
    [link] = [link for link in links_in(emails_in(mail_folder)[0]) if "/reset-password/" in link]
    response = app.test_client().post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not signed_in(elsewhere)
