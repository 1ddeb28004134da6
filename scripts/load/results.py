"""What a load run found: Locust's figures by kind, failures, and the lost-write check."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

START, END = "<!-- load:start -->", "<!-- load:end -->"


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float
    slowest: float


@dataclass
class Writes:
    """Reviews the site acknowledged, those stored, and the emails each address got."""

    acknowledged: set[str]
    stored: set[str]
    emails: Counter[str]

    @property
    def lost(self) -> set[str]:
        return self.acknowledged - self.stored

    @property
    def unsent(self) -> set[str]:
        return {a for a in self.acknowledged if self.emails[a] == 0}

    @property
    def sent_twice(self) -> set[str]:
        return {a for a in self.emails if self.emails[a] > 1}

    @property
    def clean(self) -> bool:
        return not (self.lost or self.unsent or self.sent_twice)


@dataclass
class Outcome:
    rows: list[Row]
    total: Row
    failures: Counter[str]  # "METHOD name: error" -> occurrences
    writes: Writes
    notes: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for kind, n in self.failures.items() if "HTTP 5" in kind)

    @property
    def clean(self) -> bool:
        return not self.failures and self.writes.clean


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(prefix: Path) -> tuple[list[Row], Row]:
    rows, total = [], None
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for line in csv.DictReader(stats):
            row = Row(
                name=line["Name"],
                requests=int(line["Request Count"]),
                failures=int(line["Failure Count"]),
                per_second=_number(line["Requests/s"]),
                p50=_number(line["50%"]),
                p95=_number(line["95%"]),
                p99=_number(line["99%"]),
                slowest=_number(line["Max Response Time"]),
            )
            if line["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    if total is None:
        raise RuntimeError(f"{prefix}_stats.csv has no Aggregated line: did Locust run?")
    return sorted(rows, key=lambda r: -r.requests), total


def read_failures(prefix: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with path.open(newline="") as failures:
            for line in csv.DictReader(failures):
                found[f"{line['Method']} {line['Name']}: {line['Error']}"] += int(
                    line["Occurrences"]
                )
    return found


def _table(rows: list[Row], total: Row) -> str:
    lines = [
        "| kind | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*rows, total]:
        name = "**all**" if row is total else row.name
        lines.append(
            f"| {name} | {row.requests:,} | {row.failures:,} | {row.per_second:.1f} | "
            f"{row.p50:.0f} | {row.p95:.0f} | {row.p99:.0f} | {row.slowest:.0f} |"
        )
    return "\n".join(lines)


def render(outcome: Outcome, setting: str) -> str:
    writes = outcome.writes
    verdict = "clean" if outcome.clean else "NOT clean"
    parts = [
        f"Run: {setting}. Verdict: **{verdict}**.",
        "",
        _table(outcome.rows, outcome.total),
        "",
        f"- Server errors (5xx): {outcome.server_errors}; all failed requests: "
        f"{sum(outcome.failures.values())}.",
        f"- Reviews acknowledged: {len(writes.acknowledged)}; stored: "
        f"{len(writes.acknowledged & writes.stored)}; lost: {len(writes.lost)}; "
        f"confirmation emails received: {sum(writes.emails.values())} "
        f"(none for {len(writes.unsent)}, more than one for {len(writes.sent_twice)}).",
    ]
    parts += [f"- Failure: {kind} x{n}" for kind, n in outcome.failures.most_common(10)]
    parts += [f"- {note}" for note in outcome.notes]
    return "\n".join(parts) + "\n"


def place(document: str, block: str, heading: str) -> str:
    """`document` with the load section holding `block`; added at the end if missing."""
    section = f"{START}\n{heading}\n\n{block.strip()}\n{END}"
    if START in document and END in document:
        before = document[: document.index(START)]
        after = document[document.index(END) + len(END) :]
        return before + section + after
    return f"{document.rstrip()}\n\n{section}\n"
