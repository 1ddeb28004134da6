"""Unexpected errors: the page says what is true, and with SENTRY_DSN the error reaches
Sentry (a loopback server standing in for it) without personal data."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support import ROOT, free_port

# The app runs in a process of its own, so which database it reads does not matter here:
# once is enough.
pytestmark = pytest.mark.postgres

# The app in a process of its own: sentry-sdk's client is global to a process.
FAILING_REQUEST = """
import sys
import sentry_sdk
from directory import create_app

app = create_app(PROPAGATE_EXCEPTIONS=False)

@app.get("/explode")
def explode():
    raise RuntimeError("unexpected failure of the test")

response = app.test_client().get(
    "/explode?email=client@example.com",
    headers={"Cookie": "session=secret-session-cookie", "X-Forwarded-For": "198.51.100.7"},
)
sentry_sdk.flush(10)
print(response.status_code)
print(response.get_data(as_text=True))
"""


class Ingest(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        # sentry-sdk compresses with brotli when the package is installed, else gzip.
        encoding = self.headers.get("Content-Encoding")
        if encoding == "br":
            import brotli  # present whenever sentry-sdk chose it

            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry():
    Ingest.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _run(database_url: str, tmp_path, **env) -> tuple[int, str]:
    finished = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env={
            **os.environ,
            "APP_ENV": "local",
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "LOG_LEVEL": "CRITICAL",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    status, page = finished.stdout.split("\n", 1)
    return int(status), page


def test_without_sentry_the_page_says_the_error_was_logged(database_url, tmp_path):
    status, page = _run(database_url, tmp_path, SENTRY_DSN="")
    assert status == 500
    assert "the error was logged" in page
    assert "notified" not in page and "reported" not in page


def test_with_sentry_the_error_is_reported_without_personal_data(database_url, tmp_path, sentry):
    status, page = _run(database_url, tmp_path, SENTRY_DSN=f"http://key@127.0.0.1:{sentry}/1")
    assert status == 500
    assert "reported to the team" in page
    assert "unexpected failure of the test" not in page

    sent = b"".join(Ingest.received).decode()
    assert "unexpected failure of the test" in sent
    assert "RuntimeError" in sent
    for personal in ("secret-session-cookie", "198.51.100.7", "client@example.com"):
        assert personal not in sent
