"""The HTTP load generator: N client processes, each a keep-alive connection in a loop.

Clients are separate processes (spawned, importing only the standard library), so the
generator's own Python never shares a GIL with the measurement.  Every client starts
together at an agreed wall-clock time after a warm-up, and only requests that both start
and finish inside the measured window count, so the rate is what the server sustained.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import time
from collections import Counter
from dataclasses import dataclass, field

WARMUP_SECONDS = 1.0
START_MARGIN_SECONDS = 1.5  # time for the spawned clients to import and connect
TIMEOUT_SECONDS = 30


@dataclass
class LoadResult:
    """What the clients saw: latencies (seconds) of successful requests in the window."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # exception names
    duration: float = 0.0
    client_cpu_seconds: float = 0.0
    answered: int = 0  # every answer, warm-up included (for CPU per request)
    clients: int = 0

    @property
    def failures(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200) + sum(
            self.errors.values()
        )

    def describe_failures(self) -> str:
        """'HTTP 500 x3, RemoteDisconnected x1', or '' when nothing failed."""
        parts = [
            f"HTTP {status} x{n}" for status, n in sorted(self.statuses.items()) if status != 200
        ]
        parts += [f"{name} x{n}" for name, n in sorted(self.errors.items())]
        return ", ".join(parts)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    def merge(self, other: LoadResult) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors.update(other.errors)
        self.client_cpu_seconds += other.client_cpu_seconds
        self.answered += other.answered


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def request(
    connection: http.client.HTTPConnection, path: str, cookie: str = ""
) -> tuple[int, bytes]:
    """GET path on a keep-alive connection; the body is read whole, as a browser would."""
    headers = {"Accept": "text/html", **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, body


def run_client(
    host: str,
    port: int,
    paths: list[str],
    offset: int,
    start_at: float,
    duration: float,
    cookie: str = "",
) -> LoadResult:
    """One client: loop over `paths` from `offset` until the window closes."""
    result = LoadResult(duration=duration, clients=1)
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    end_at = start_at + duration
    index = offset
    cpu_at_start = None
    while True:
        now = time.time()
        if now >= end_at:
            break
        if cpu_at_start is None and now >= start_at:
            cpu_at_start = _cpu_seconds()
        path = paths[index % len(paths)]
        index += 1
        began, t0 = time.time(), time.perf_counter()
        try:
            status, _body = request(connection, path, cookie)
        except (OSError, http.client.HTTPException) as error:
            connection.close()  # the next request opens a fresh connection
            if began >= start_at:
                result.errors[type(error).__name__] += 1
            continue
        elapsed = time.perf_counter() - t0
        result.answered += 1
        if began >= start_at and began + elapsed <= end_at:
            result.statuses[status] += 1
            if status == 200:
                result.latencies.append(elapsed)
    result.client_cpu_seconds = _cpu_seconds() - (cpu_at_start or _cpu_seconds())
    connection.close()
    return result


def _client_process(queue, *args) -> None:
    try:
        queue.put(run_client(*args))
    except BaseException as error:  # reported by the parent rather than lost
        queue.put(error)


def run_load(
    host: str, port: int, paths: list[str], *, clients: int, duration: float, cookie: str = ""
) -> LoadResult:
    """Run `clients` processes against `paths` for `duration` seconds after a warm-up,
    each sending `cookie` (one visitor's session) when given."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + START_MARGIN_SECONDS + WARMUP_SECONDS
    step = max(1, len(paths) // clients)
    processes = [
        context.Process(
            target=_client_process,
            args=(queue, host, port, paths, i * step, start_at, duration, cookie),
            daemon=True,
        )
        for i in range(clients)
    ]
    for process in processes:
        process.start()
    total = LoadResult(duration=duration, clients=clients)
    deadline = start_at + duration + TIMEOUT_SECONDS + 10
    for _ in processes:
        outcome = queue.get(timeout=max(1.0, deadline - time.time()))
        if isinstance(outcome, BaseException):
            raise RuntimeError(f"a load client failed: {outcome!r}") from outcome
        total.merge(outcome)
    for process in processes:
        process.join(timeout=10)
    return total


def probe(host: str, port: int, path: str) -> int:
    """The status of one GET (0 when nothing answers)."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    try:
        return request(connection, path)[0]
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def query_until(host: str, port: int, paths: list[str], stop) -> LoadResult:
    """One sequential client that loops over `paths` until `stop` (an Event) is set.

    Meant for a thread beside a long operation (a reindex): every request counts.
    """
    result = LoadResult(clients=1)
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    started = time.perf_counter()
    index = 0
    while not stop.is_set():
        path = paths[index % len(paths)]
        index += 1
        t0 = time.perf_counter()
        try:
            status, _body = request(connection, path)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            result.errors[type(error).__name__] += 1
            continue
        result.statuses[status] += 1
        if status == 200:
            result.latencies.append(time.perf_counter() - t0)
    result.duration = time.perf_counter() - started
    connection.close()
    return result
