"""/health/live and /health/ready: what they answer, and that a part that is down is
reported within about a second (503 only when it is the database)."""

from __future__ import annotations

import time

import pytest

from directory.extensions import limiter
from tests.support import free_port

# A part that is down must never hold the probe much longer than its one-second deadline.
PROMPT_SECONDS = 2.0


def unreachable_postgres() -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"


def nothing_listening() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def timed_get(app, path: str):
    started = time.monotonic()
    response = app.test_client().get(path)
    return response, time.monotonic() - started


def assert_never_stored_nor_a_session(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_live_answers_ok_even_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=unreachable_postgres())
    response, seconds = timed_get(app, "/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert_never_stored_nor_a_session(response)
    assert seconds < PROMPT_SECONDS


def test_ready_reports_each_part_with_its_latency(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert_never_stored_nor_a_session(response)
    body = response.get_json()
    assert body["status"] == "ok"
    database = body["checks"]["database"]
    assert database["status"] == "up"
    assert database["latency_ms"] >= 0
    # The test configuration has no Redis and runs jobs in-process.
    assert body["checks"]["redis"] == {"status": "not configured"}
    assert body["checks"]["broker"] == {"status": "eager"}


@pytest.mark.redis
def test_ready_pings_redis_and_the_broker_when_they_are_configured(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url, CELERY_EAGER=False, CELERY_BROKER_URL=redis_url)
    response = app.test_client().get("/health/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    for part in ("database", "redis", "broker"):
        assert body["checks"][part]["status"] == "up", part
        assert body["checks"][part]["latency_ms"] >= 0, part


def test_ready_answers_503_when_the_database_is_down(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=unreachable_postgres())
    response, seconds = timed_get(app, "/health/ready")
    assert response.status_code == 503
    assert seconds < PROMPT_SECONDS
    assert_never_stored_nor_a_session(response)
    body = response.get_json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["database"]["error"] == "OperationalError"


def test_ready_answers_503_when_the_sqlite_file_cannot_be_opened(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no-such-folder' / 'db'}")
    response, seconds = timed_get(app, "/health/ready")
    assert response.status_code == 503
    assert seconds < PROMPT_SECONDS
    assert response.get_json()["checks"]["database"]["status"] == "down"


def test_ready_stays_200_with_redis_marked_down_when_nothing_listens(make_app):
    app = make_app(REDIS_URL=nothing_listening())
    response, seconds = timed_get(app, "/health/ready")
    assert response.status_code == 200
    assert seconds < PROMPT_SECONDS
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"


def test_ready_stays_200_with_the_broker_marked_down_when_nothing_listens(make_app):
    app = make_app(CELERY_EAGER=False, CELERY_BROKER_URL=nothing_listening())
    response, seconds = timed_get(app, "/health/ready")
    assert response.status_code == 200
    assert seconds < PROMPT_SECONDS
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "down"


@pytest.mark.redis
def test_a_hung_redis_costs_the_probe_about_a_second(make_app, private_redis):
    # The client's own timeout is longer than the probe's deadline: the deadline answers.
    app = make_app(REDIS_URL=private_redis.url, REDIS_TIMEOUT_SECONDS=5)
    private_redis.hang()
    response, seconds = timed_get(app, "/health/ready")
    assert response.status_code == 200
    assert seconds < PROMPT_SECONDS
    assert response.get_json()["checks"]["redis"] == {
        "status": "down",
        "latency_ms": 900.0,
        "error": "timeout",
    }


@pytest.fixture
def limits_on_every_route(make_app):
    """An app whose every route is limited to 2 a minute.  Flask-Limiter keeps limits from
    the configuration on its (process-wide) extension object: put back what it had."""
    manager = limiter.limit_manager
    saved = list(manager._application_limits), list(manager._default_limits)
    try:
        yield make_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_DEFAULT="2 per minute",
            RATELIMIT_APPLICATION="2 per minute",
        )
    finally:
        manager.set_application_limits(saved[0])
        manager.set_default_limits(saved[1])


def test_health_checks_are_never_rate_limited(limits_on_every_route):
    client = limits_on_every_route.test_client()
    for _ in range(5):
        assert client.get("/health/live").status_code == 200
        assert client.get("/health/ready").status_code == 200
        assert client.get("/metrics").status_code == 200
    # while the same limits do hold elsewhere
    assert [client.get("/").status_code for _ in range(3)][-1] == 429
