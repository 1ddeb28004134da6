"""Dense tiers are read from a window at the top of their order (paging._window_size):
the same results as reading the whole tier, whether the window holds the page or not."""

from __future__ import annotations

import pytest

from directory.search import paging
from tests.search.conftest import run, slugs

QUERIES = [
    {"q": "massage"},
    {"q": "massage", "sort": "rating"},
    {"q": "massage", "sort": "reviews"},
    {"q": "back pain"},
    {"q": "deep tissue", "city": "toronto"},
    {"specialty": "swedish"},
    {"sort": "reviews"},
    {},
]
PAGES = [("1", "1"), ("1", "2"), ("2", "1"), ("3", "2"), ("7", "1"), ("2", "5")]


def every_page(args: dict) -> list:
    seen = []
    for per_page, page in PAGES:
        found = run({**args, "per_page": per_page, "page": page})
        seen.append((found.total, slugs(found)))
    return seen


@pytest.fixture
def windows_read(monkeypatch) -> list[int]:
    """The windows the engine chose to read."""
    chosen: list[int] = []
    original = paging._window_size

    def spy(tier, needed):
        size = original(tier, needed)
        if size is not None:
            chosen.append(size)
        return size

    monkeypatch.setattr(paging, "_window_size", spy)
    return chosen


@pytest.mark.parametrize("args", QUERIES, ids=str)
def test_a_window_gives_the_results_of_the_whole_tier(directory, monkeypatch, windows_read, args):
    windowed = every_page(args)
    with monkeypatch.context() as patch:
        patch.setattr(paging, "_window_size", lambda tier, needed: None)
        whole = every_page(args)
    assert windowed == whole


def test_small_pages_of_dense_tiers_are_read_from_a_window(directory, windows_read):
    every_page({"q": "massage"})
    assert windows_read, "no window was read: the test data is too sparse for this test"


def test_a_window_too_small_for_the_page_falls_back_to_the_whole_tier(
    directory, monkeypatch, windows_read
):
    whole = every_page({"q": "massage"})
    monkeypatch.setattr(paging, "WINDOW_HEADROOM", 0.01)  # windows of a document or two
    assert every_page({"q": "massage"}) == whole
    assert windows_read
