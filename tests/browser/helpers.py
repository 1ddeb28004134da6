"""Steps several browser journeys share."""

from __future__ import annotations

from tests.factories import PASSWORD


def sign_in(page, live_server: str, email: str) -> None:
    """Sign in through the form, as a person does (every test account has PASSWORD)."""
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def live_filters_ready(page) -> None:
    """Wait until the page's deferred scripts have run: a search page's filters search at
    once only from then on (static/js/search.js listens from DOMContentLoaded), and a URL
    or a heading can show before, on a busy machine."""
    page.wait_for_load_state("domcontentloaded")
