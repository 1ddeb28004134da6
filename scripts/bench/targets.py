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


def _shared_throughput(
    what: str, limit: float, shared: Summary | None, signed_in: Summary | None
) -> list[Target]:
    """The shared-page figures, signed out and signed in ("not measured" where missing)."""
    return [
        _at_least(f"{what}, shared pages", limit, "req/s", shared and shared.rate),
        _at_least(f"{what}, shared pages, signed in", limit, "req/s", signed_in and signed_in.rate),
    ]


def _gap(categories: list[Category], sql_of: dict[str, Summary]) -> tuple[float | None, str]:
    """The largest one-client HTTP p50 minus the warm SQL p50 of the same searches."""
    alone = [c for c in categories if c.serial is not None and sql_of.get(c.name)]
    return _worst(alone, lambda c: c.serial.p50 - sql_of[c.name].p50)


def evaluate(measured: Measured, clients: int = 8) -> list[Target]:
    """Every target beside its figure: warm, with shared pages on ("not measured" where a
    figure is missing), then (`warm=False`, for reference) latency and throughput with
    every page rendered."""
    sql_of = {c.name: c.sql for c in measured.categories if c.sql}
    shared = measured.shared_categories
    gap = "HTTP p50 (one client, {}) minus SQL p50 (warm)"
    warm = [
        *_latency(shared, "shared pages", clients),
        _at_most(gap.format("shared pages"), 3, "ms", *_gap(shared, sql_of)),
        *_shared_throughput(
            "search throughput, mixed", 300, measured.shared_mixed, measured.signed_in_mixed
        ),
        *_shared_throughput(
            "profile throughput", 1000, measured.shared_profile, measured.signed_in_profile
        ),
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
    rendered = [
        *_latency(measured.categories, "rendered", clients),
        _at_most(gap.format("rendered"), 3, "ms", *_gap(measured.categories, sql_of)),
        _at_least(
            "search throughput, mixed, rendered",
            300,
            "req/s",
            measured.mixed and measured.mixed.rate,
        ),
        _at_least(
            "profile throughput, rendered",
            1000,
            "req/s",
            measured.profile and measured.profile.rate,
        ),
    ]
    return warm + [replace(t, warm=False) for t in rendered]
