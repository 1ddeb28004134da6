"""Latency statistics: percentiles and the summary the report prints."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks.

    The same definition as numpy's default and PostgreSQL's percentile_cont, so a figure
    can be checked with either.  Raises ValueError for no values or p outside 0-100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    """Latencies in milliseconds; `rate` in operations a second (0 when not measured)."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float
    rate: float = 0.0


def summarise(seconds: Sequence[float], elapsed: float = 0.0) -> Summary | None:
    """Summarise durations given in seconds; None when there are none.

    elapsed: the wall time the durations were collected over, for the rate.
    """
    if not seconds:
        return None
    ms = [s * 1000 for s in seconds]
    return Summary(
        count=len(ms),
        p50=percentile(ms, 50),
        p95=percentile(ms, 95),
        p99=percentile(ms, 99),
        max=max(ms),
        rate=len(ms) / elapsed if elapsed > 0 else 0.0,
    )
