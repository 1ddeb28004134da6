"""Ended sessions stay ended on stored pages too: the header's account snapshot is kept per
session version, so a session signed in before a password change or a deletion shows
"Sign in", not the account's name."""

from __future__ import annotations

from directory.extensions import db
from tests.factories import PASSWORD, create_clinic, create_therapist, create_user
from tests.self_service.conftest import sign_in

NEW_PASSWORD = "a brand new passphrase"


def test_a_stored_page_shows_a_session_ended_by_a_password_change_as_signed_out(redis_app):
    user = create_user(display_name="Sam Signedin")
    slug = create_therapist(create_clinic()).slug
    db.session.commit()
    here, elsewhere = redis_app.test_client(), redis_app.test_client()
    sign_in(here, user.email)
    sign_in(elsewhere, user.email)
    for client in (here, elsewhere):
        client.get("/")  # where the "signed in" message is shown
        assert "Sam Signedin" in client.get(f"/therapists/{slug}").get_data(True)

    here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    here.get("/account")  # the message
    assert "Sam Signedin" in here.get(f"/therapists/{slug}").get_data(True)
    page = elsewhere.get(f"/therapists/{slug}").get_data(True)
    assert "Sam Signedin" not in page and "Sign out" not in page
