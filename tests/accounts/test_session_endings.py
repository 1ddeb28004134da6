"""Sessions end when they should: a cookie saved before a password reset, a sign-out
everywhere or a deactivation answers as signed out; a remember cookie made before a
password change signs no one in; "remember me" lasts 30 days at most."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

from directory.extensions import db
from tests.factories import PASSWORD, create_user
from tests.self_service.conftest import emails_in, links_in, sign_in, signed_in

NEW_PASSWORD = "a brand new passphrase"
REMEMBER = "remember_token"


def saved_cookies(client) -> dict[str, str]:
    """What someone who copied the browser's cookies would keep."""
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def replayed(app, cookies: dict[str, str]):
    """A new browser carrying only `cookies`."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_a_cookie_saved_before_a_password_reset_answers_as_signed_out(app, client, mail_folder):
    user = create_user("rita@example.com")
    db.session.commit()
    sign_in(client, user.email, remember="y")
    saved = saved_cookies(client)
    assert REMEMBER in saved and signed_in(replayed(app, saved))

    reset = app.test_client()
    reset.post("/forgot-password", data={"email": user.email})
    [link] = links_in(emails_in(mail_folder)[-1])
    answer = reset.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302

    assert not signed_in(client)
    assert not signed_in(replayed(app, saved))
    assert not signed_in(replayed(app, {REMEMBER: saved[REMEMBER]}))


def test_sign_out_everywhere_ends_every_session_and_copied_cookie(app, client):
    user = create_user("sol@example.com")
    db.session.commit()
    elsewhere = app.test_client()
    sign_in(client, user.email)
    sign_in(elsewhere, user.email, remember="y")
    copied = saved_cookies(client)

    answer = client.post("/sign-out", data={"everywhere": "1"})
    assert answer.status_code == 302
    assert not signed_in(client)
    assert not signed_in(elsewhere)
    assert not signed_in(replayed(app, copied))
    assert not signed_in(replayed(app, {REMEMBER: saved_cookies(elsewhere).get(REMEMBER, "")}))

    sign_in(client, user.email)  # the password still works
    assert signed_in(client)


def test_a_plain_sign_out_leaves_the_other_devices_signed_in(app, client):
    user = create_user("tom@example.com")
    db.session.commit()
    elsewhere = app.test_client()
    sign_in(client, user.email)
    sign_in(elsewhere, user.email)
    client.post("/sign-out")
    assert not signed_in(client)
    assert signed_in(elsewhere)


def test_deactivation_ends_every_session_at_once(app, client, runner):
    user = create_user("uma@example.com")
    db.session.commit()
    sign_in(client, user.email, remember="y")
    saved = saved_cookies(client)

    result = runner.invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    assert not signed_in(client)
    assert not signed_in(replayed(app, saved))
    refused = app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 422

    result = runner.invoke(args=["users", "reactivate", user.email])
    assert result.exit_code == 0, result.output
    sign_in(client, user.email)
    assert not signed_in(replayed(app, saved))  # the old cookies stay ended


def test_deactivating_an_unknown_address_says_so(runner):
    result = runner.invoke(args=["users", "deactivate", "nobody@example.com"])
    assert result.exit_code == 2
    assert "no account uses this address" in result.output


def test_a_remember_cookie_made_before_a_password_change_no_longer_signs_in(app, client):
    user = create_user("vic@example.com")
    db.session.commit()
    sign_in(client, user.email, remember="y")
    remember = saved_cookies(client)[REMEMBER]
    assert signed_in(replayed(app, {REMEMBER: remember}))

    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert signed_in(client)  # this session is signed in again
    assert not signed_in(replayed(app, {REMEMBER: remember}))


def test_remember_me_lasts_thirty_days_at_most(client):
    user = create_user("wes@example.com")
    db.session.commit()
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        cookies.load(header)
    assert cookies[REMEMBER]["httponly"]
    lasts = parsedate_to_datetime(cookies[REMEMBER]["expires"]) - datetime.now(UTC)
    assert timedelta(days=29) < lasts <= timedelta(days=30)


def test_signing_in_starts_a_fresh_session_that_keeps_the_compare_tray(client):
    user = create_user("xia@example.com")
    db.session.commit()
    with client.session_transaction() as session:
        session["_csrf_token"] = "planted-before-sign-in"
        session["compare"] = ["someone"]
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert session.get("_csrf_token") != "planted-before-sign-in"
        assert session.get("compare") == ["someone"]
        assert session.get("_user_id")
