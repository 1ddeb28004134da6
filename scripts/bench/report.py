"""The benchmark's figures as Markdown, and their place in docs/benchmarks.md.

Pure: takes the figures, returns text.  The document keeps everything outside the
benchmark's markers; each size (full, small) replaces only its own block inside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.bench.stats import Summary

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SECTION_INTRO = """## Load benchmark (`make bench`)

`make bench` builds (or reuses) a PostgreSQL database of 100,000 therapists and 1,000,000
reviews, rebuilds the search index, serves the app with gunicorn as the application role
(Redis for the facet cache and as the Celery broker, a real `celery worker`), and measures
it over HTTP on loopback with keep-alive client processes.  `make bench-small` does the
same at 10,000 / 100,000 for a quick run.  Each run replaces its own block below.

- HTTP: latency seen by the clients (request sent to body read), successful answers only;
  req/s is what the server sustained with all clients busy on that category alone, so
  p50 includes waiting behind the other clients (about clients / req/s).  The "1 client"
  columns are the same searches with one client alone: the server's own time per page.
  Latency targets are judged both ways.
- search() p50: `parse_search` + `search` in the benchmark process (Python and SQL, no
  template): the rest of "1 client p50" is rendering, Flask and HTTP.
- Server CPU per request: CPU time of gunicorn's workers and of the application role's
  PostgreSQL backends during the loaded row, over the requests answered (2 CPUs give
  2,000 ms a second, so 20 ms a request caps the machine near 100 req/s).
- SQL: the same searches run in the benchmark process, as a request runs them
  (`parse_search` + `search`, the application role), summing every statement's time.
  "warm": the facet cache on and warmed by a first pass, as the server's is after the
  first visitors; "no cache": off, so the total and facet counts are computed every time.
- gunicorn runs gthread workers (4 threads each): they keep connections alive and
  overlap one request's database wait with another's Python.  Sync workers close every
  connection and wait idle on the database; in back-to-back runs of the small benchmark
  they served 60 mixed searches a second against gthread's 83, and 29 against 101 for
  text + city.
- Shared pages (`directory/public/page_cache.py`): the bench measures every row twice,
  first with gunicorn rendering every page (the app's own cost: a first visit), then
  restarted with shared pages on, as production runs.  Its searches and profiles repeat,
  so the second pass is served from Redis: the figures of a popular search or profile.
  The issue's targets are for a warm server and are judged on the second pass; the first
  pass is judged against the same goals in a table of its own, for reference.
- Figures move with the code, the data and whatever else the machine runs at the time:
  each run records the load average at its start and end."""


@dataclass(frozen=True)
class Category:
    name: str
    http: Summary | None
    failures: int
    sql: Summary | None  # warm facet cache
    sql_cold: Summary | None  # facet cache off
    statements: float  # per search, on average
    location: bool = False  # a search narrowed by place (the tighter target)
    failure_kinds: str = ""  # e.g. "HTTP 500 x3"
    serial: Summary | None = None  # HTTP with one client alone
    call: Summary | None = None  # parse_search + search in-process, warm cache
    cpu_ms: dict[str, float] | None = None  # server CPU per answered request, by process


@dataclass(frozen=True)
class Target:
    what: str
    target: str
    measured: str
    met: bool | None  # None: not measured
    # Judged as the issue asks, warm (shared pages on, the production setting); False: the
    # same goal for pages rendered on every visit, given for reference
    warm: bool = True


@dataclass
class Figures:
    size_label: str
    date: str
    machine: str
    server: str
    clients: int
    duration: float
    search_path: str
    seeding: str
    reindex: str
    categories: list[Category] = field(default_factory=list)  # every page rendered
    # (name, HTTP summary, failures, server CPU per request by process)
    extra_rows: list[tuple[str, Summary | None, int, dict | None]] = field(default_factory=list)
    # The same, with shared pages on (the production setting)
    shared_categories: list[Category] = field(default_factory=list)
    shared_extra_rows: list[tuple[str, Summary | None, int, dict | None]] = field(
        default_factory=list
    )
    freshness: str = ""
    reindex_under_load: str = ""
    memory: list[tuple[str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


NONE = "n/a"


def ms(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def rate(value: float | None) -> str:
    return NONE if value is None else f"{value:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; the first column left-aligned, the others right-aligned."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _http_cells(summary: Summary | None, failures: int) -> list[str]:
    if summary is None:
        return [NONE] * 4 + [str(failures) if failures else NONE]
    return [
        ms(summary.p50),
        ms(summary.p95),
        ms(summary.p99),
        rate(summary.rate),
        str(failures),
    ]


def latency_table(figures: Figures) -> str:
    header = [
        "category",
        "HTTP p50",
        "p95",
        "p99",
        "req/s",
        "failed",
        "1 client p50",
        "1 client p95",
        "search() p50",
        "SQL p50",
        "SQL p95",
        "SQL p95 no cache",
        "statements",
    ]
    rows = []
    for category in figures.categories:
        rows.append(
            [
                category.name,
                *_http_cells(category.http, category.failures),
                ms(category.serial.p50 if category.serial else None),
                ms(category.serial.p95 if category.serial else None),
                ms(category.call.p50 if category.call else None),
                ms(category.sql.p50 if category.sql else None),
                ms(category.sql.p95 if category.sql else None),
                ms(category.sql_cold.p95 if category.sql_cold else None),
                f"{category.statements:.0f}",
            ]
        )
    for name, summary, failures, _cpu in figures.extra_rows:
        rows.append([name, *_http_cells(summary, failures), *[NONE] * 7])
    return table(header, rows)


def shared_table(figures: Figures) -> str:
    """HTTP figures with shared pages on; '' if not measured."""
    rows = [
        [
            category.name,
            *_http_cells(category.http, category.failures),
            ms(category.serial.p50 if category.serial else None),
            ms(category.serial.p95 if category.serial else None),
        ]
        for category in figures.shared_categories
    ]
    rows += [
        [name, *_http_cells(summary, failures), NONE, NONE]
        for name, summary, failures, _cpu in figures.shared_extra_rows
    ]
    if not rows:
        return ""
    header = ["category", "HTTP p50", "p95", "p99", "req/s", "failed"]
    return table([*header, "1 client p50", "1 client p95"], rows)


def cpu_table(figures: Figures) -> str:
    """Server CPU per answered request under load, by process group; '' if not measured."""
    rows = [(c.name, c.cpu_ms) for c in figures.categories]
    rows += [(name, cpu) for name, _summary, _failures, cpu in figures.extra_rows]
    rows += [(f"{c.name}, shared", c.cpu_ms) for c in figures.shared_categories]
    rows += [(f"{name}, shared", cpu) for name, _s, _f, cpu in figures.shared_extra_rows]
    rows = [(name, cpu) for name, cpu in rows if cpu]
    if not rows:
        return ""
    groups = list(rows[0][1])
    return table(
        ["server CPU per request (ms)", *groups, "total"],
        [
            [name, *(f"{cpu[g]:.1f}" for g in groups), f"{sum(cpu.values()):.1f}"]
            for name, cpu in rows
        ],
    )


def targets_table(targets: list[Target], warm: bool = True) -> str:
    verdict = {True: "met", False: "**missed**", None: "not measured"}
    return table(
        [
            "warm server, shared pages on (target from the issue)"
            if warm
            else "first renders (target from the issue)",
            "goal",
            "measured",
            "",
        ],
        [[t.what, t.target, t.measured, verdict[t.met]] for t in targets if t.warm is warm],
    )


def render_block(figures: Figures) -> str:
    """The block of one run: what ran, on what, and the tables."""
    parts = [
        f"### {figures.size_label}",
        "",
        f"- Date: {figures.date}",
        f"- Machine: {figures.machine}",
        f"- Server: {figures.server}",
        f"- Load: {figures.clients} client processes, {figures.duration:g} s per row after a "
        f"warm-up; searches on `{figures.search_path}`",
        f"- Seeding: {figures.seeding}",
        f"- Full reindex: {figures.reindex}",
        "",
        "Latencies in ms.  Every page rendered (`SHARED_PAGE_SECONDS=0`): what the app and",
        "the database cost per search.",
        "",
        latency_table(figures),
        "",
    ]
    shared = shared_table(figures)
    if shared:
        parts += [
            "Shared pages on (the production setting): the same searches and profiles, the",
            "stored page served from Redis while the index (or the profile) is unchanged, with",
            "the visitor's own parts put back.  The mix repeats its searches, so after the",
            'warm-up pass these are hits.  Rows marked "signed in" send one signed-in',
            "visitor's cookie, with two therapists on their compare list: their name, compare",
            'link and two "remove" controls are rendered into every stored page.',
            "",
            shared,
            "",
        ]
    cpu = cpu_table(figures)
    if cpu:
        parts += [cpu, ""]
    if figures.freshness:
        parts += [f"Approval to visible in search: {figures.freshness}", ""]
    if figures.reindex_under_load:
        parts += [f"Search during a full reindex: {figures.reindex_under_load}", ""]
    if figures.memory:
        parts += [table(["process", "memory"], [list(row) for row in figures.memory]), ""]
    if any(not t.warm for t in figures.targets):
        parts += [
            "The headline: first renders, what a search no one has made since the index last",
            "changed costs, every JSON API answer, and every page while Redis is down.",
            "",
            targets_table(figures.targets, warm=False),
            "",
        ]
    if any(t.warm for t in figures.targets):
        parts += [
            "The warm server, judged with shared pages on, as production runs: the mix repeats",
            "its searches and profiles, as visitors do.",
            "",
            targets_table(figures.targets),
            "",
        ]
    parts += [f"- {note}" for note in figures.notes]
    return "\n".join(parts).rstrip() + "\n"


def block_markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"


def _between(text: str, start: str, end: str) -> str | None:
    if start in text and end in text and text.index(start) < text.index(end):
        return text[text.index(start) + len(start) : text.index(end)]
    return None


def place_block(document: str, key: str, block: str, keys: tuple[str, ...]) -> str:
    """`document` with the benchmark section holding `block` under `key`.

    Everything outside the section's markers is kept as it is, and so are the blocks of
    the other keys inside it; the section's introduction is rewritten.  A document
    without the section gets it at the end.
    """
    section = _between(document, START, END)
    blocks = []
    for k in keys:
        start, end = block_markers(k)
        body = block if k == key else _between(section or "", start, end)
        if body is not None:
            blocks.append(f"{start}\n{body.strip()}\n{end}")
    new_section = "\n".join([START, SECTION_INTRO, "", "\n\n".join(blocks), END])
    if section is None:
        return f"{document.rstrip()}\n\n{new_section}\n"
    before = document[: document.index(START)]
    after = document[document.index(END) + len(END) :]
    return before + new_section + after
