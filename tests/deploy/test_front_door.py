"""The production front door as shipped: a real nginx with deploy/nginx.conf in front of
gunicorn with deploy/gunicorn.conf.py, on loopback (scripts.front_door writes nginx's
configuration from the shipped file)."""

from __future__ import annotations

import collections
import http.client
import os
import signal
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

from scripts import front_door as shipped
from tests.support import free_port, unavailable, wait_until

pytestmark = pytest.mark.postgres

INSECURE = ssl._create_unverified_context()  # the test's own self-signed certificate


def _answers(port: int, use_tls: bool) -> bool:
    try:
        status, _headers, _body = _get(port, "/health/live", use_tls=use_tls, timeout=2)
    except (OSError, http.client.HTTPException):
        return False
    return status == 200


def _get(
    port: int,
    path: str,
    *,
    use_tls: bool = True,
    source: str = "127.0.0.1",
    headers: dict | None = None,
    timeout: float = 10,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    if use_tls:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=timeout, context=INSECURE, source_address=(source, 0)
        )
    else:
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
        )
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _half_open(port: int, use_tls: bool) -> socket.socket:
    """A client that sends the start of a request line and then nothing more."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    connection = INSECURE.wrap_socket(raw, server_hostname="localhost") if use_tls else raw
    connection.sendall(b"GET /health/live HTT")
    return connection


@pytest.fixture
def front_door(database_url, tmp_path):
    """gunicorn (one worker of two threads, so two stuck threads would freeze it) behind
    nginx; yields (https port, http port, gunicorn port, the gunicorn process)."""
    if not Path(shipped.NGINX).exists():
        unavailable("nginx is not installed (Debian package nginx-light)")
    ports: set[int] = set()
    while len(ports) < 3:  # a port the system hands out twice would serve two of them
        ports.add(free_port())
    app_port, https_port, http_port = sorted(ports)
    env = {
        **os.environ,
        "APP_ENV": "local",
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "BASE_URL": f"https://localhost:{https_port}",
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_TIMEOUT": "30",
        "TRUSTED_PROXY_COUNT": "1",
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    main = shipped.write_nginx_config(tmp_path, shipped.Ports(https_port, http_port, app_port))
    with (tmp_path / "gunicorn.log").open("w") as log:
        gunicorn = shipped.start_gunicorn(env, log)
        nginx = shipped.start_nginx(main, log)
    try:

        def gunicorn_answers() -> bool:
            if gunicorn.poll() is not None:
                pytest.fail("gunicorn exited:\n" + (tmp_path / "gunicorn.log").read_text())
            return _answers(app_port, use_tls=False)

        wait_until(gunicorn_answers, 60, "gunicorn to answer")
        wait_until(lambda: _answers(https_port, use_tls=True), 20, "nginx to answer")
        yield https_port, http_port, app_port, gunicorn
    finally:
        shipped.stop(nginx, gunicorn)


def test_half_open_connections_hold_gunicorn_but_not_the_site_behind_nginx(front_door):
    https_port, _http_port, app_port, _gunicorn = front_door
    held = [_half_open(https_port, use_tls=True) for _ in range(4)]
    try:
        started = time.monotonic()
        status, _headers, _body = _get(https_port, "/health/live", timeout=10)
        assert status == 200
        assert time.monotonic() - started < 2
    finally:
        for connection in held:
            connection.close()

    # The same clients straight at gunicorn take both its threads: what nginx prevents.
    held = [_half_open(app_port, use_tls=False) for _ in range(2)]
    try:
        time.sleep(0.5)  # let gunicorn hand both connections to its threads
        with pytest.raises(TimeoutError):
            _get(app_port, "/health/live", use_tls=False, timeout=2)
    finally:
        for connection in held:
            connection.close()


def test_rate_limits_count_each_visitor_behind_the_proxy(front_door):
    https_port, _http_port, _app_port, _gunicorn = front_door

    def remaining(source: str, **headers) -> int:
        status, answer, _body = _get(https_port, "/api/v1/openapi.json", source=source, **headers)
        assert status == 200
        return int(answer["X-RateLimit-Remaining"])

    first = remaining("127.0.0.2")
    assert remaining("127.0.0.2") == first - 1
    # Another visitor has a bucket of their own...
    assert remaining("127.0.0.3") == first
    # ...and a visitor cannot pose as someone else by forging the header nginx replaces.
    forged = {"headers": {"X-Forwarded-For": "203.0.113.9"}}
    assert remaining("127.0.0.2", **forged) == first - 2


def test_https_only_with_hsts_and_no_version_in_the_server_header(front_door):
    https_port, http_port, _app_port, _gunicorn = front_door
    for path in ("/", "/static/css/site.css", "/api/v1/openapi.json"):
        status, headers, _body = _get(https_port, path)
        assert status == 200, path
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert headers["Server"] == "nginx", path

    status, headers, _body = _get(http_port, "/therapists?q=thai", use_tls=False)
    assert status == 301
    assert headers["Location"] == "https://localhost/therapists?q=thai"


def test_a_gunicorn_reload_fails_no_request_behind_nginx(front_door):
    """Reloading gunicorn (SIGHUP, as a deploy does) replaces its worker, which drops the
    kept-alive connections nginx holds to it; nginx sends a GET that met one again."""
    https_port, _http_port, _app_port, gunicorn = front_door
    statuses: list[int] = []
    stop = threading.Event()

    def visitor(source: str) -> None:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", https_port, timeout=20, context=INSECURE, source_address=(source, 0)
        )
        while not stop.is_set():
            connection.request("GET", "/health/live", headers={"Host": "localhost"})
            answer = connection.getresponse()
            answer.read()
            statuses.append(answer.status)
        connection.close()

    visitors = [threading.Thread(target=visitor, args=(f"127.0.0.{n}",)) for n in (4, 5, 6)]
    for thread in visitors:
        thread.start()
    try:
        for _ in range(3):
            time.sleep(1)
            gunicorn.send_signal(signal.SIGHUP)
        time.sleep(2)
    finally:
        stop.set()
        for thread in visitors:
            thread.join(timeout=30)
    assert len(statuses) > 100
    assert set(statuses) == {200}, collections.Counter(statuses)
