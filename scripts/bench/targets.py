"""The issue's targets, checked against the measured figures."""

from __future__ import annotations

from dataclasses import dataclass

from scripts.bench.report import NONE, Category, Target
from scripts.bench.stats import Summary


@dataclass(frozen=True)
class Measured:
    """What the targets are checked against (None or empty where not measured)."""

    categories: list[Category]
    mixed: Summary | None
    profile: Summary | None
    freshness: Summary | None
    reindex_seconds: float
    gunicorn_rss_mb: list[float]
    celery_rss_mb: list[float]


def _at_most(what: str, limit: float, unit: str, value: float | None, where: str = "") -> Target:
    if value is None:
        return Target(what, f"≤ {limit:g} {unit}", NONE, None)
    measured = f"{value:,.1f} {unit}" + (f" ({where})" if where else "")
    return Target(what, f"≤ {limit:g} {unit}", measured, value <= limit)


def _at_least(what: str, limit: float, unit: str, value: float | None) -> Target:
    if value is None:
        return Target(what, f"≥ {limit:g} {unit}", NONE, None)
    return Target(what, f"≥ {limit:g} {unit}", f"{value:,.0f} {unit}", value >= limit)


def _worst(categories: list[Category], figure) -> tuple[float | None, str]:
    """The highest value of figure(category) and the category it came from."""
    values = [(figure(c), c.name) for c in categories]
    values = [(v, name) for v, name in values if v is not None]
    return max(values) if values else (None, "")


def evaluate(measured: Measured, clients: int = 8) -> list[Target]:
    """Every target beside its figure.  Latency targets are judged twice: with one client
    alone (the server's own time) and with `clients` at once (waiting included)."""
    loaded = [c for c in measured.categories if c.http is not None]
    alone = [c for c in measured.categories if c.serial is not None]
    gap = _worst(alone, lambda c: c.serial.p50 - c.sql.p50 if c.sql else None)
    under = f"{clients} clients"
    return [
        _at_most(
            "search with a location filter, p95, one client",
            15,
            "ms",
            *_worst([c for c in alone if c.location], lambda c: c.serial.p95),
        ),
        _at_most(
            f"search with a location filter, p95, {under}",
            15,
            "ms",
            *_worst([c for c in loaded if c.location], lambda c: c.http.p95),
        ),
        _at_most("any search, p95, one client", 50, "ms", *_worst(alone, lambda c: c.serial.p95)),
        _at_most("any search, p99, one client", 100, "ms", *_worst(alone, lambda c: c.serial.p99)),
        _at_most(f"any search, p95, {under}", 50, "ms", *_worst(loaded, lambda c: c.http.p95)),
        _at_most(f"any search, p99, {under}", 100, "ms", *_worst(loaded, lambda c: c.http.p99)),
        _at_most("HTTP p50 (one client) minus SQL p50 (warm)", 3, "ms", *gap),
        _at_least("search throughput, mixed", 300, "req/s", measured.mixed and measured.mixed.rate),
        _at_least("profile throughput", 1000, "req/s", measured.profile and measured.profile.rate),
        _at_most(
            "approval to visible in search, p95",
            1000,
            "ms",
            measured.freshness and measured.freshness.p95,
        ),
        _at_most("full reindex", 40, "s", measured.reindex_seconds),
        _at_most(
            "gunicorn worker RSS (largest)", 150, "MB", max(measured.gunicorn_rss_mb, default=None)
        ),
        _at_most(
            "Celery worker RSS (largest process)",
            200,
            "MB",
            max(measured.celery_rss_mb, default=None),
        ),
    ]
