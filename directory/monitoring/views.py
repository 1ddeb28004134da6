"""/health/live, /health/ready and /metrics: for load balancers, orchestrators and
Prometheus.  No rate limit, no session, never cached."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from directory.extensions import limiter
from directory.monitoring import health, metrics

bp = Blueprint("monitoring", __name__)
limiter.exempt(bp)


@bp.after_request
def never_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health/live")
def live():
    """The process is up and answers; touches nothing else."""
    return {"status": "ok"}


@bp.get("/health/ready")
def ready():
    """The database (essential), Redis and the broker, each with its latency; 503 when
    the database is down, 200 with the part marked down when only Redis or the broker is."""
    readiness = health.readiness(current_app)
    return readiness.as_json(), 200 if readiness.ready else 503


@bp.get("/metrics")
def scrape():
    if not metrics.may_scrape():
        abort(404)
    body, content_type = metrics.exposition(request.headers.get("Accept", ""))
    return Response(body, content_type=content_type)
