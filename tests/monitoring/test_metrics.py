"""/metrics: requests counted as they are answered, the outbox read at scrape time, and
who may scrape (everyone locally; in production a bearer token or an allowed network)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

import config
from directory import create_app
from directory.core.mail import SentEmail, SentEmailState
from directory.core.models import utcnow
from directory.core.outbox import OutboxMessage, OutboxState
from directory.extensions import db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "a-long-random-scrape-token"


def scrape(client, **request) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", **request)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/plain"
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def add_outbox_row(state: OutboxState, *, age: timedelta = timedelta(0), **fields):
    message = OutboxMessage(
        task_name=fields.pop("task_name", "emails.send"),
        payload={},
        state=state,
        created_at=utcnow() - age,
        **fields,
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_a_request_is_counted_by_endpoint_method_and_status(client):
    labels = {"endpoint": "monitoring.live", "method": "GET", "status": "200"}
    before = scrape(client)
    client.get("/health/live")
    client.get("/health/live")
    after = scrape(client)
    requests = "directory_http_requests_total"
    assert value(after, requests, **labels) == value(before, requests, **labels) + 2
    latency = "directory_http_request_duration_seconds_count"
    assert value(after, latency, endpoint="monitoring.live") == (
        value(before, latency, endpoint="monitoring.live") + 2
    )


def test_a_page_that_no_route_matches_is_counted_as_unmatched(client):
    labels = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    before = value(scrape(client), "directory_http_requests_total", **labels)
    client.get("/no-such-page/abc123")
    assert value(scrape(client), "directory_http_requests_total", **labels) == before + 1


def test_a_dead_letter_shows_the_moment_it_exists(app, client):
    samples = scrape(client)
    assert value(samples, "directory_outbox_dead_letters") == 0
    assert value(samples, "directory_database_up") == 1

    add_outbox_row(OutboxState.FAILED, last_error="gave up after too many attempts")

    samples = scrape(client)
    assert value(samples, "directory_outbox_dead_letters") == 1
    assert value(samples, "directory_outbox_messages", task="emails.send", state="failed") == 1


def test_the_backlog_counts_pending_rows_and_the_age_of_the_oldest(app, client):
    assert value(scrape(client), "directory_outbox_oldest_pending_age_seconds") == 0
    add_outbox_row(OutboxState.PENDING, age=timedelta(minutes=5))
    add_outbox_row(OutboxState.PENDING, task_name="therapists.reindex")
    add_outbox_row(OutboxState.DONE, age=timedelta(hours=2))

    samples = scrape(client)
    assert value(samples, "directory_outbox_messages", task="emails.send", state="pending") == 1
    pending_reindex = {"task": "therapists.reindex", "state": "pending"}
    assert value(samples, "directory_outbox_messages", **pending_reindex) == 1
    assert 300 <= value(samples, "directory_outbox_oldest_pending_age_seconds") < 400
    assert not any(
        name == "directory_outbox_messages" and ("state", "done") in labels
        for name, labels in samples
    )


def test_emails_recorded_as_sent_are_counted(app, client):
    sent = add_outbox_row(OutboxState.DONE)
    sending = add_outbox_row(OutboxState.PENDING)
    for message, state in ((sent, SentEmailState.SENT), (sending, SentEmailState.SENDING)):
        db.session.add(
            SentEmail(
                outbox_id=message.id,
                to_address="someone@example.com",
                subject="Hello",
                template="verify_account",
                state=state,
            )
        )
    db.session.commit()
    assert value(scrape(client), "directory_emails_sent_total") == 1


def test_a_database_that_does_not_answer_leaves_the_request_metrics(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no-such-folder' / 'db'}")
    samples = scrape(app.test_client())
    assert value(samples, "directory_database_up") == 0
    assert any(name == "directory_http_requests_total" for name, _ in samples)


# -- who may scrape -----------------------------------------------------------------


def test_production_hides_metrics_when_no_token_nor_network_is_set(monkeypatch, tmp_path):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(config.ProductionConfig, "CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(config.ProductionConfig, "METRICS_TOKEN", "")
    monkeypatch.setattr(config.ProductionConfig, "METRICS_ALLOWED_NETWORKS", "")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("MAIL_URL", "smtp://127.0.0.1:25")
    app = create_app(config.ProductionConfig, INSTANCE_DIR=str(tmp_path))
    client = app.test_client()
    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404
    assert b"Page not found" in response.data  # the site's own 404: nothing to learn here
    assert client.get("/health/live").status_code == 200


def test_production_metrics_answer_the_right_bearer_token_only(make_app):
    client = make_app(ENV_NAME="production", METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics").status_code == 404
    for wrong in (f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN):
        assert client.get("/metrics", headers={"Authorization": wrong}).status_code == 404
    samples = scrape(client, headers={"Authorization": f"Bearer {TOKEN}"})
    assert value(samples, "directory_database_up") == 1
    assert client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200


def test_production_metrics_answer_an_allowed_network(make_app):
    app = make_app(ENV_NAME="production", METRICS_ALLOWED_NETWORKS="10.0.0.0/8, 127.0.0.1/32")
    client = app.test_client()
    for address in ("10.1.2.3", "127.0.0.1", "::ffff:10.9.9.9"):
        scrape(client, environ_base={"REMOTE_ADDR": address})
    for address in ("192.168.1.5", "11.0.0.1", "::1"):
        response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 404, address


def test_a_token_closes_metrics_in_the_local_configuration_too(make_app):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics").status_code == 404
    scrape(client, headers={"Authorization": f"Bearer {TOKEN}"})


def test_a_network_that_is_not_one_stops_the_app_from_starting(make_app):
    with pytest.raises(RuntimeError, match="METRICS_ALLOWED_NETWORKS"):
        make_app(METRICS_ALLOWED_NETWORKS="10.0.0.0/33")


# -- several processes --------------------------------------------------------------

SERVE_ONE_REQUEST = textwrap.dedent(
    """
    import sys
    from config import TestConfig
    from directory import create_app

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], INSTANCE_DIR=sys.argv[2])
    response = app.test_client().get(sys.argv[3])
    sys.stdout.write(response.get_data(as_text=True))
    """
)


def test_with_a_multiprocess_folder_any_process_reports_every_process(database_url, tmp_path):
    """As under gunicorn: two processes answer a request each, a third is scraped."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}

    def run(path: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", SERVE_ONE_REQUEST, database_url, str(tmp_path), path],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout

    run("/health/live")
    run("/health/live")
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(run("/metrics"))
        for sample in family.samples
    }
    labels = {"endpoint": "monitoring.live", "method": "GET", "status": "200"}
    assert value(samples, "directory_http_requests_total", **labels) == 2
    assert value(samples, "directory_database_up") == 1
