"""Shared steps of the account self-service tests."""

from __future__ import annotations

import re

from tests.accounts.test_accounts import emails_in  # noqa: F401 - shared with these tests
from tests.factories import PASSWORD

LINK = re.compile(r"http://localhost(/\S+)")


def links_in(message) -> list[str]:
    return LINK.findall(message.get_body(("plain",)).get_content())


def sign_in(client, email: str, password: str = PASSWORD, **extra) -> None:
    response = client.post("/sign-in", data={"email": email, "password": password, **extra})
    assert response.status_code == 302, response.get_data(True)


def signed_in(client) -> bool:
    """The account page answers only a signed-in visitor (others go to sign in)."""
    return client.get("/account").status_code == 200
