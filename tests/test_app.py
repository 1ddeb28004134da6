"""The application factory, configuration, error pages and security headers."""

from __future__ import annotations

import pytest
from flask import abort

import config
from directory import create_app


def test_home_page_renders_in_the_site_layout(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Find a massage therapist you can trust" in response.data
    assert b"pico.jade.min.css" in response.data


def test_static_assets_are_served_locally(client):
    for path in ("/static/vendor/pico/pico.jade.min.css", "/static/js/site.js"):
        with client.get(path) as response:
            assert response.status_code == 200


def test_pages_forbid_inline_script_by_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_unknown_page_answers_404_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b"Skip to content" in response.data


def test_wrong_method_answers_405_with_allow_header(client):
    response = client.delete("/sign-in")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"]["status"] == 404


@pytest.mark.parametrize("status", [400, 403, 404, 405, 429])
def test_error_pages_exist_for_every_client_error(make_app, status):
    app = make_app()

    @app.get("/fail")
    def fail():
        abort(status)

    response = app.test_client().get("/fail")
    assert response.status_code == status
    assert b"<main" in response.data


def test_unexpected_error_shows_no_stack_trace(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_bad_page_parameter_is_a_400_not_a_500(client):
    response = client.get("/dev/mailbox?page=-3")
    assert response.status_code == 400


def test_production_refuses_default_secret_and_missing_urls(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", config.DEFAULT_SECRET_KEY)
    monkeypatch.setattr(config.ProductionConfig, "CELERY_BROKER_URL", "")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MAIL_URL", raising=False)
    with pytest.raises(RuntimeError) as error:
        create_app(config.ProductionConfig)
    message = str(error.value)
    assert "SECRET_KEY" in message
    assert "DATABASE_URL" in message
    assert "REDIS_URL" in message
    assert "MAIL_URL" in message


def test_production_starts_when_everything_is_explicit(monkeypatch, tmp_path):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(config.ProductionConfig, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("MAIL_URL", "smtp://127.0.0.1:25")
    app = create_app(config.ProductionConfig)
    assert app.config["DEV_MAILBOX"] is False
    assert "dev.mailbox" not in app.view_functions


def test_postgres_urls_are_driven_by_psycopg3():
    assert config.normalize_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert config.normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_too_many_sign_in_attempts_get_a_friendly_429(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    attempts = [
        client.post("/sign-in", data={"email": "x@example.com", "password": "nope"})
        for _ in range(11)
    ]
    assert attempts[0].status_code == 422
    assert attempts[-1].status_code == 429
    assert b"Please slow down" in attempts[-1].data
