"""Prometheus metrics of the web app, served at /metrics.

Two kinds:
- counted by this process as it answers: requests by endpoint, method and status, and
  their latency by endpoint.  Under gunicorn each worker process counts its own; with
  PROMETHEUS_MULTIPROC_DIR set (an empty folder, before the server starts) they write
  there and any worker's /metrics adds them all up (prometheus-client's multiprocess
  mode); without it /metrics shows the one process that answered.
- read from the database at scrape time (`OutboxCollector`): the outbox backlog, the age
  of its oldest pending row, its dead letters, and the emails sent.  Two aggregate
  queries per scrape; nothing is kept between scrapes.

Who may scrape: anyone in the local and test configurations.  Once METRICS_TOKEN or
METRICS_ALLOWED_NETWORKS is set (in any configuration), only a request with
`Authorization: Bearer <token>` or from an address in those networks; in production,
with neither set, nobody.  Everyone else gets the site's ordinary 404, as if there were
no such page (a wrong token too, so a guess learns nothing).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask, Response, current_app, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from directory.core import jobs, logs
from directory.core.mail import SentEmail, SentEmailState
from directory.core.models import utcnow
from directory.core.outbox import OutboxState
from directory.extensions import db

log = logging.getLogger(__name__)

_NETWORKS = "metrics_allowed_networks"
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Module level, as prometheus-client means them: one per process, however many apps it
# builds (tests build many), each app adding to the same series.
REQUESTS = Counter(
    "directory_http_requests",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "directory_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint.",
    ["endpoint"],
)


def init_app(app: Flask) -> None:
    app.extensions[_NETWORKS] = parse_networks(app.config["METRICS_ALLOWED_NETWORKS"])
    app.after_request(_count_request)


def parse_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`10.0.0.0/8, 127.0.0.1/32` as networks; a setting that is not one stops the start."""
    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise RuntimeError(f"METRICS_ALLOWED_NETWORKS: {error}") from None
    return tuple(networks)


def _count_request(response: Response) -> Response:
    endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
    method = request.method if request.method in _METHODS else "other"
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    seconds = logs.request_seconds()
    if seconds is not None:
        REQUEST_SECONDS.labels(endpoint).observe(seconds)
    return response


# -- access --------------------------------------------------------------------------


def may_scrape() -> bool:
    """Whether the current request may read /metrics (see the module's docstring)."""
    token = current_app.config["METRICS_TOKEN"]
    networks = current_app.extensions[_NETWORKS]
    if not token and not networks:
        return current_app.config["ENV_NAME"] != "production"
    return (bool(token) and _bearer_is(token)) or _address_in(networks)


def _bearer_is(token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _address_in(networks) -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


# -- exposition ----------------------------------------------------------------------


def exposition(accept: str) -> tuple[bytes, str]:
    """(body, content type) of a scrape: this process's (or, in multiprocess mode, every
    process's) metrics and the database's figures, in the format the scraper accepts."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(OutboxCollector(db.engine))
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type


class OutboxCollector:
    """The outbox and sent emails as the database has them at scrape time.

    A database that fails the queries is reported as `directory_database_up 0`, not as
    a failed scrape: the request metrics are still worth having then.
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "directory_database_up", "1 if the database answered this scrape's queries."
        )
        try:
            backlog, sent = self._read()
        except sa.exc.SQLAlchemyError as error:
            log.warning("metrics: the database did not answer (%s)", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up

        messages = GaugeMetricFamily(
            "directory_outbox_messages",
            "Outbox rows waiting to be done (pending) or given up on (failed), by task.",
            labels=["task", "state"],
        )
        oldest_pending = None
        dead_letters = 0
        for task, state, count, oldest in backlog:
            messages.add_metric([task, state], count)
            if state == OutboxState.FAILED:
                dead_letters += count
            elif oldest is not None and (oldest_pending is None or oldest < oldest_pending):
                oldest_pending = oldest
        yield messages
        age = 0.0 if oldest_pending is None else (utcnow() - oldest_pending).total_seconds()
        yield GaugeMetricFamily(
            "directory_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox row (0 when none is pending).",
            value=max(0.0, age),
        )
        yield GaugeMetricFamily(
            "directory_outbox_dead_letters",
            "Outbox rows in state failed: jobs given up on, waiting for an operator.",
            value=dead_letters,
        )
        yield CounterMetricFamily(
            "directory_emails_sent",
            "Emails recorded as sent (rows of sent_emails in state sent).",
            value=sent,
        )

    def _read(self) -> tuple[list[sa.Row], int]:
        backlog_query = jobs.backlog_statement((OutboxState.PENDING, OutboxState.FAILED))
        sent_query = (
            sa.select(sa.func.count())
            .select_from(SentEmail)
            .where(SentEmail.state == SentEmailState.SENT)
        )
        with self.engine.connect() as connection:
            backlog = list(connection.execute(backlog_query))
            sent = connection.execute(sent_query).scalar_one()
        return backlog, sent
