"""A signed-in visitor with therapists on their compare list, for the shared-page rows.

Every such visitor's page has parts of its own (the header with their name, their
compare link, "remove from compare" on their therapists); the row measures what putting
them into a stored page costs.  The visitor signs in and adds to compare through HTTP,
as a browser would, and the load clients then send the session cookie it ends with.
"""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from http.cookies import SimpleCookie

from flask import Flask

from directory.accounts.models import User
from directory.accounts.services import find_user_by_email
from directory.core.models import utcnow
from directory.core.passwords import hash_password
from directory.extensions import db

EMAIL = "bench-visitor@example.com"
_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class Browser:
    """One keep-alive connection that keeps its cookies."""

    def __init__(self, host: str, port: int):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> str:
        headers = {"Accept": "text/html", "Cookie": self.cookie_header}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        return text

    def token(self, path: str) -> str:
        found = _TOKEN.search(self.send("GET", path))
        if found is None:
            raise RuntimeError(f"GET {path}: no form with a CSRF token on the page")
        return found.group(1)


def signed_in_cookie(app: Flask, host: str, port: int, compared: list[str]) -> str:
    """The Cookie header of a visitor signed in with `compared` on their compare list."""
    password = secrets.token_urlsafe(16)
    with app.app_context():
        user = find_user_by_email(EMAIL)
        if user is None:
            user = User(email=EMAIL, display_name="Bench Visitor", email_verified_at=utcnow())
            db.session.add(user)
        user.password_hash = hash_password(password)
        db.session.commit()
    browser = Browser(host, port)
    token = browser.token("/sign-in")
    browser.send("POST", "/sign-in", {"email": EMAIL, "password": password, "csrf_token": token})
    for slug in compared:
        token = browser.token("/")
        browser.send("POST", "/compare/add", {"slug": slug, "csrf_token": token, "next": "/"})
    page = browser.send("GET", "/")
    if "Bench Visitor" not in page or f'compare-count">{len(compared)}<' not in page:
        raise RuntimeError("the bench visitor is not signed in with their compare list")
    browser.connection.close()
    return browser.cookie_header
