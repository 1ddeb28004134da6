"""The search page over HTTP: what a visitor sees, and what bad input gets."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def page(directory, _built_directory):
    app, _built = _built_directory
    return app.test_client()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_acceptance_searches_show_john_with_why_he_matched(page):
    response = page.get("/therapists", query_string={"q": "upper back pain thai massage"})
    assert response.status_code == 200
    text = text_of(response)
    assert "John Wintertime" in text
    assert "Matches your search: Thai Upper back pain" in text
    misspelt = text_of(page.get("/therapists", query_string={"q": "jon wintertime"}))
    assert "Did you mean John Wintertime ?" in misspelt


def test_a_filter_keeps_the_whole_search_in_the_links(page):
    response = page.get("/therapists", query_string={"q": "massage", "verified": "1"})
    html = response.get_data(as_text=True)
    assert 'name="verified" value="1" checked' in html
    # Every facet link and page link carries the search it belongs to (a chip's link
    # is the search without its filter).
    for href in re.findall(r'href="(/therapists\?[^"]+)"(?! class="chip")', html):
        assert "verified=1" in href


def test_nothing_found_suggests_what_to_relax_with_counts(page):
    response = page.get("/therapists", query_string={"q": "wintertime", "city": "vancouver"})
    assert response.status_code == 200
    text = text_of(response)
    assert "No therapist matches all of that." in text
    assert re.search(r"In any city : \d+ therapists?", text)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"radius_km": "7", "near": "toronto"}, "radius_km"),
        ({"specialty": "levitation"}, "specialty"),
        ({"min_rating": "9"}, "min_rating"),
        ({"sort": "price"}, "sort"),
        ({"page": "-1"}, "page"),
        ({"page": "99999"}, "page"),
    ],
)
def test_bad_input_keeps_the_form_and_names_the_field(page, query, parameter):
    response = page.get("/therapists", query_string=query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert 'id="search-form"' in html
    # The message is said once: beside its field, or above the results when it has none.
    if parameter in ("page", "sort"):
        assert f"({parameter})" in html
    else:
        assert f'id="{parameter}-error"' in html and f"({parameter})" not in html


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", ":", "&", "|", "!", "x" * 2000, "-", '"a" -"'])
def test_query_syntax_characters_never_break_the_page(page, q):
    assert page.get("/therapists", query_string={"q": q}).status_code == 200
