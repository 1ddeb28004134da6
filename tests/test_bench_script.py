"""The load benchmark's pure helpers (the benchmark itself runs with `make bench`)."""

from __future__ import annotations

import random

import pytest

from scripts.bench import mix, quick, report, steps
from scripts.bench.load import LoadResult
from scripts.bench.stats import Summary, percentile, summarise
from scripts.bench.targets import Measured, evaluate


def test_percentile_interpolates_between_closest_ranks():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 0) == 1
    assert percentile(values, 50) == 3
    assert percentile(values, 100) == 5
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    assert percentile([7], 99) == 7


def test_percentile_refuses_no_values_and_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summarise_reports_milliseconds_and_the_rate():
    summary = summarise([0.001, 0.002, 0.003, 0.004], elapsed=2.0)
    assert summary.count == 4
    assert summary.p50 == pytest.approx(2.5)
    assert summary.max == pytest.approx(4.0)
    assert summary.rate == pytest.approx(2.0)
    assert summarise([]) is None


@pytest.mark.parametrize("seed", range(40))
def test_misspelling_is_one_slip_from_the_lowercased_name(seed):
    name = "John Wintertime"
    typed = mix.misspell(name, random.Random(seed))
    assert typed != name.lower()
    original, slipped = name.lower().split(), typed.split()
    assert len(slipped) == len(original)
    changed = [(a, b) for a, b in zip(original, slipped, strict=True) if a != b]
    assert len(changed) == 1
    word, typo = changed[0]
    assert typo[0] == word[0]  # the first letter is kept
    dropped = len(typo) == len(word) - 1 and any(
        word[:k] + word[k + 1 :] == typo for k in range(len(word))
    )
    swapped = len(typo) == len(word) and [
        k for k, (a, b) in enumerate(zip(word, typo, strict=True)) if a != b
    ] in ([k, k + 1] for k in range(len(word) - 1))
    assert dropped or swapped


def test_misspelling_is_deterministic_and_needs_a_long_plain_word():
    assert mix.misspell("Maria Lopez", random.Random(7)) == mix.misspell(
        "Maria Lopez", random.Random(7)
    )
    for name in ("Li Xu", "Ana Lee-Wong"):
        with pytest.raises(ValueError):
            mix.misspell(name, random.Random(1))


def test_interleave_takes_every_category_in_turn():
    assert steps.interleave([["a1", "a2"], ["b1"], ["c1", "c2", "c3"]]) == [
        "a1",
        "b1",
        "c1",
        "a2",
        "c2",
        "c3",
    ]


def summary(
    p50: float, p95: float, p99: float, rate: float = 0.0, maximum: float | None = None
) -> Summary:
    maximum = p99 + 1 if maximum is None else maximum
    return Summary(count=100, p50=p50, p95=p95, p99=p99, max=maximum, rate=rate)


def figures() -> report.Figures:
    categories = [
        report.Category(
            "text + city",
            http=summary(40.0, 90.0, 120.0, 400),
            failures=0,
            sql=summary(2.0, 5.0, 6.0),
            sql_cold=None,
            statements=9,
            location=True,
            serial=summary(4.0, 9.0, 20.0),
            call=summary(3.0, 6.0, 7.0),
        ),
        report.Category("text only", None, 0, summary(3.0, 8.0, 9.0), summary(30, 80, 90), 8),
    ]
    shared = [
        report.Category(
            "text + city",
            http=summary(3.0, 6.0, 9.0, 900),
            failures=0,
            sql=None,
            sql_cold=None,
            statements=0,
            location=True,
            serial=summary(1.0, 2.0, 3.0),
            cpu_ms={"gunicorn": 1.0, "PostgreSQL": 0.0},
        )
    ]
    return report.Figures(
        size_label="10 therapists / 100 reviews",
        date="2026-01-01 00:00 UTC",
        machine="2 CPUs",
        server="gunicorn",
        clients=8,
        duration=5,
        search_path="/therapists",
        seeding="reused",
        reindex="1.0 s",
        categories=categories,
        extra_rows=[
            (
                "profile page (counts a view)",
                summary(1.0, 2.0, 3.0, 1200),
                0,
                {"gunicorn": 0.5, "PostgreSQL": 0.25},
            )
        ],
        shared_categories=shared,
        shared_extra_rows=[("profile page (counts a view)", summary(1.0, 2.0, 3.0, 1500), 0, None)],
        memory=[("gunicorn worker 1", "100 MB RSS")],
        targets=evaluate(
            Measured(
                categories=categories,
                mixed=None,
                profile=summary(1.0, 2.0, 3.0, 1200),
                freshness=summary(200, 1500, 1600),
                reindex_seconds=12.0,
                gunicorn_rss_mb=[100.0, 120.0],
                celery_rss_mb=[],
                shared_categories=shared,
                shared_profile=summary(1.0, 2.0, 3.0, 1500),
                signed_in_profile=summary(1.5, 2.5, 3.5, 900),
                api=summary(20.0, 40.0, 60.0, 350),
                api_one=summary(4.0, 9.0, 12.0, 200),
                redis_stopped=summary(20.0, 50.0, 80.0, 200, maximum=600.0),
                redis_stopped_failures=2,
                under_load=summary(2.0, 50.0, 130.0, 100, maximum=200.0),
            )
        ),
    )


def test_the_latency_table_has_one_row_per_category_and_placeholders():
    block = report.render_block(figures())
    lines = [line for line in block.splitlines() if line.startswith("| text")]
    assert lines[0] == (
        "| text + city | 40.0 | 90.0 | 120 | 400 | 0 | 4.0 | 9.0 | 3.0 | 2.0 | 5.0 | n/a | 9 |"
    )
    assert lines[1] == (
        "| text only | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a | 3.0 | 8.0 | 80.0 | 8 |"
    )
    assert "| profile page (counts a view) | 1.0 | 2.0 | 3.0 | 1,200 | 0 | n/a |" in block
    # Server CPU is tabled only for the rows that measured it.
    assert "| profile page (counts a view) | 0.5 | 0.2 | 0.8 |" in block
    cpu = block.split("server CPU per request")[1]
    assert "| text + city | " not in cpu
    assert "| text + city, shared | 1.0 | 0.0 | 1.0 |" in cpu
    # Shared pages have a table of their own, HTTP figures only.
    shared = block.split("Shared pages on")[1].split("server CPU per request")[0]
    assert "| text + city | 3.0 | 6.0 | 9.0 | 900 | 0 | 1.0 | 2.0 |" in shared
    assert "| profile page (counts a view) | 1.0 | 2.0 | 3.0 | 1,500 | 0 | n/a | n/a |" in shared


def test_targets_are_judged_from_the_figures():
    verdicts = {t.what: t.met for t in figures().targets}
    # First renders: eight clients at once, p99 120 ms.
    assert verdicts["any search, p99, 8 clients, rendered"] is False
    assert verdicts["HTTP p50 (one client, rendered) minus SQL p50 (warm)"] is True  # 4.0 - 2.0
    assert verdicts["search throughput, mixed, rendered"] is None
    assert verdicts["profile throughput, rendered"] is True  # 1,200
    assert verdicts["JSON API searches, 16 clients, rendered"] is False  # 350
    assert verdicts["JSON API search, p95, one client, rendered"] is True  # 9 ms
    assert verdicts["search throughput, mixed, Redis stopped"] is True  # 200
    assert verdicts["failed requests, Redis stopped"] is False  # 2
    assert verdicts["slowest request, Redis stopped"] is True  # 600 ms
    # Shared pages: 6 ms with eight clients.
    assert verdicts["search with a location filter, p95, 8 clients, shared pages"] is True
    assert verdicts["search throughput, mixed, shared pages"] is None  # not measured
    assert verdicts["profile throughput, shared pages"] is True  # 1,500
    # Shared pages are judged against the SQL of the same searches, rendered: 1.0 - 2.0.
    assert verdicts["HTTP p50 (one client, shared pages) minus SQL p50 (warm)"] is True
    assert verdicts["search during a full reindex, p99"] is False  # 130 ms
    assert verdicts["search during a full reindex, max"] is True  # 200 ms
    assert verdicts["approval to visible in search, p95"] is False
    assert verdicts["full reindex"] is True
    assert verdicts["Celery worker RSS (largest process)"] is None


def test_placing_a_block_keeps_the_rest_of_the_document_and_the_other_block():
    document = "# Benchmarks\n\nHand-written figures.\n"
    with_small = report.place_block(document, "small", "small figures\n", ("full", "small"))
    with_both = report.place_block(with_small, "full", "full figures\n", ("full", "small"))
    again = report.place_block(with_both, "full", "new full figures\n", ("full", "small"))
    assert again.startswith(document)
    assert again.count(report.START) == 1 and again.count(report.END) == 1
    assert "small figures" in again and "new full figures" in again
    assert "\nfull figures" not in again
    assert again.index("new full figures") < again.index("small figures")
    assert report.place_block(again, "full", "new full figures\n", ("full", "small")) == again


def test_failures_are_described_by_status_and_error():
    result = LoadResult()
    result.statuses.update({200: 10, 500: 3, 429: 1})
    result.errors.update({"RemoteDisconnected": 2})
    assert result.failures == 6
    assert result.describe_failures() == "HTTP 429 x1, HTTP 500 x3, RemoteDisconnected x2"
    assert LoadResult().describe_failures() == ""


def test_the_quick_table_shows_what_the_app_adds_to_the_sql():
    gaps = [quick.Gap("text + city", http_p50=9.4, sql_p50=2.4, search_p50=4.4)]
    assert quick.table(gaps).splitlines()[2] == "| text + city | 9.4 | 4.4 | 2.4 | 7.0 |"


def test_first_renders_are_the_headline_and_the_warm_server_follows():
    targets = figures().targets
    first = [t.what for t in targets if not t.warm]
    warm = [t.what for t in targets if t.warm]
    assert targets[: len(first)] == [t for t in targets if not t.warm]
    assert first and all(("rendered" in w) or ("Redis stopped" in w) for w in first)
    pages = [what for what in warm if what.startswith(("search with", "any search", "profile"))]
    assert pages and all("shared pages" in what for what in pages)
    block = report.render_block(figures())
    assert block.index("| first renders (target") < block.index("| warm server, shared pages")
    warm_table = block.split("| warm server, shared pages")[1]
    assert "| full reindex |" in warm_table and ", rendered |" not in warm_table
    assert "| profile throughput, rendered | ≥ 300 req/s | 1,200 req/s | met |" in block


def test_a_run_without_shared_pages_leaves_the_warm_targets_not_measured():
    targets = evaluate(
        Measured(
            categories=figures().categories,
            mixed=None,
            profile=None,
            freshness=None,
            reindex_seconds=12.0,
            gunicorn_rss_mb=[],
            celery_rss_mb=[],
        )
    )
    warm = {t.what: t.met for t in targets if t.warm}
    assert warm["any search, p95, one client, shared pages"] is None
    assert warm["HTTP p50 (one client, shared pages) minus SQL p50 (warm)"] is None
    assert warm["profile throughput, shared pages"] is None
    first = {t.what: t.met for t in targets if not t.warm}
    assert first["search throughput, mixed, Redis stopped"] is None
    assert first["failed requests, Redis stopped"] is None
