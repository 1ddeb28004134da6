"""A live server and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests import support

# Actions and assertions wait as long as each other: on a busy 2-CPU machine running the
# whole suite, a page can take longer than Playwright's 5 s default for assertions.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(make_app):
    """The app with CSRF on, served over HTTP on a free loopback port."""
    with support.serving(make_app(WTF_CSRF_ENABLED=True, BASE_URL=support.loopback_url())) as url:
        yield url


@pytest.fixture
def page(artifacts_dir: Path):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        support.unavailable(f"Chromium is not installed at {executable}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        yield page
        context.close()
        browser.close()
