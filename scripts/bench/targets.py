"""The issue's targets, checked against the measured figures."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from scripts.bench.report import NONE, Category, Target
from scripts.bench.stats import Summary


@dataclass(frozen=True)
class Measured:
    """What the targets are checked against (None or empty where not measured)."""

    categories: list[Category]  # every page rendered
    mixed: Summary | None
    profile: Summary | None
    freshness: Summary | None
    reindex_seconds: float
    gunicorn_rss_mb: list[float]
    celery_rss_mb: list[float]
    # with shared pages on (the production setting); empty or None where not measured
    shared_categories: list[Category] = field(default_factory=list)
    shared_mixed: Summary | None = None
    shared_profile: Summary | None = None
    # shared pages for a signed-in visitor with therapists on their compare list
    signed_in_mixed: Summary | None = None
    signed_in_profile: Summary | None = None
    # the JSON API with every answer computed: many clients, and one alone
    api: Summary | None = None
    api_one: Summary | None = None
    # mixed searches with the benchmark's own Redis stopped
    redis_stopped: Summary | None = None
    redis_stopped_failures: int | None = None
    # one client searching while a full reindex runs
    under_load: Summary | None = None


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


def _latency(categories: list[Category], mode: str, clients: int) -> list[Target]:
    """The latency targets for one way of serving (`mode`): with one client alone (the
    server's own time) and with `clients` at once (waiting included)."""
    loaded = [c for c in categories if c.http is not None]
    alone = [c for c in categories if c.serial is not None]
    under = f"{clients} clients"
    return [
        _at_most(
            f"search with a location filter, p95, one client, {mode}",
            15,
            "ms",
            *_worst([c for c in alone if c.location], lambda c: c.serial.p95),
        ),
        _at_most(
            f"search with a location filter, p95, {under}, {mode}",
            15,
            "ms",
            *_worst([c for c in loaded if c.location], lambda c: c.http.p95),
        ),
        _at_most(
            f"any search, p95, one client, {mode}", 50, "ms", *_worst(alone, lambda c: c.serial.p95)
        ),
        _at_most(
            f"any search, p99, one client, {mode}",
            100,
            "ms",
            *_worst(alone, lambda c: c.serial.p99),
        ),
        _at_most(
            f"any search, p95, {under}, {mode}", 50, "ms", *_worst(loaded, lambda c: c.http.p95)
        ),
        _at_most(
            f"any search, p99, {under}, {mode}", 100, "ms", *_worst(loaded, lambda c: c.http.p99)
        ),
    ]


def _gap(categories: list[Category], sql_of: dict[str, Summary]) -> tuple[float | None, str]:
    """The largest one-client HTTP p50 minus the warm SQL p50 of the same searches."""
    alone = [c for c in categories if c.serial is not None and sql_of.get(c.name)]
    return _worst(alone, lambda c: c.serial.p50 - sql_of[c.name].p50)


def evaluate(measured: Measured, clients: int = 8) -> list[Target]:
    """Every target beside its figure ("not measured" where a figure is missing): first
    renders, the headline (`warm=False`: pages rendered on every visit, the JSON API, and
    everything with Redis stopped), then the warm server with shared pages on."""
    sql_of = {c.name: c.sql for c in measured.categories if c.sql}
    shared = measured.shared_categories
    gap = "HTTP p50 (one client, {}) minus SQL p50 (warm)"
    loaded = [c for c in measured.categories if c.http is not None]
    stopped = measured.redis_stopped
    first_renders = [
        _at_least(
            "search throughput, mixed, rendered",
            400,
            "req/s",
            measured.mixed and measured.mixed.rate,
        ),
        _at_least(
            "profile throughput, rendered",
            300,
            "req/s",
            measured.profile and measured.profile.rate,
        ),
        _at_most(gap.format("rendered"), 3, "ms", *_gap(measured.categories, sql_of)),
        _at_most(
            f"any search, p99, {clients} clients, rendered",
            100,
            "ms",
            *_worst(loaded, lambda c: c.http.p99),
        ),
        _at_least(
            "JSON API searches, 16 clients, rendered",
            400,
            "req/s",
            measured.api and measured.api.rate,
        ),
        _at_most(
            "JSON API search, p95, one client, rendered",
            15,
            "ms",
            measured.api_one and measured.api_one.p95,
        ),
        _at_least(
            "search throughput, mixed, Redis stopped", 150, "req/s", stopped and stopped.rate
        ),
        _at_most(
            "failed requests, Redis stopped",
            0,
            "requests",
            None if stopped is None else measured.redis_stopped_failures,
        ),
        _at_most("slowest request, Redis stopped", 1000, "ms", stopped and stopped.max),
    ]
    under_load = measured.under_load
    warm = [
        *_latency(shared, "shared pages", clients),
        _at_most(gap.format("shared pages"), 3, "ms", *_gap(shared, sql_of)),
        _at_least(
            "search throughput, mixed, shared pages",
            1500,
            "req/s",
            measured.shared_mixed and measured.shared_mixed.rate,
        ),
        _at_least(
            "profile throughput, shared pages",
            1300,
            "req/s",
            measured.shared_profile and measured.shared_profile.rate,
        ),
        _at_most("search during a full reindex, p99", 100, "ms", under_load and under_load.p99),
        _at_most("search during a full reindex, max", 250, "ms", under_load and under_load.max),
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
    return [replace(t, warm=False) for t in first_renders] + warm
