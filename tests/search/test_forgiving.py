"""Search that forgives, over HTTP on both databases: a misspelt place offers the cities
spelt like it, an empty result offers the next best thing with its count, facets do not
shrink their own lists, chosen filters are chips, and each sort says how it ranks."""

from __future__ import annotations

import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from directory.search.engine import search
from directory.search.params import parse_search
from tests.search.conftest import run, slugs
from tests.support import statements


@pytest.fixture
def page(directory, _built_directory):
    app, _built = _built_directory
    return app.test_client()


def text_of(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    # Tags become spaces; a space before punctuation is only where a tag was.
    return re.sub(r"\s+([:.,)])", r"\1", re.sub(r"\s+", " ", unescape(html)))


def hrefs(response, label: str) -> list[str]:
    """The targets of the links whose text starts with `label`."""
    html = response.get_data(as_text=True)
    return [
        unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)', html)
        if text.strip().startswith(label)
    ]


def test_a_misspelt_place_offers_cities_spelt_like_it_never_a_400(page):
    response = page.get(
        "/therapists", query_string={"q": "massage for pregnancy", "near": "Seatle"}
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Did you mean…" in text
    # The message is said once, beside the field.
    assert text.count("We do not know a city called 'Seatle'") == 1
    assert 'aria-describedby="near-error"' in response.get_data(as_text=True)
    (seattle,) = hrefs(response, "Seattle, US")
    assert "near=Seattle%2C+US" in seattle and "q=massage+for+pregnancy" in seattle
    assert page.get(seattle).status_code == 200


def test_a_suggested_city_says_how_many_it_finds(page):
    response = page.get("/therapists", query_string={"near": "Torontoo", "radius_km": "25"})
    assert response.status_code == 200
    assert "Toronto, CA: 7 therapists" in text_of(response)
    assert "search without a place (18 therapists)" in text_of(response)


def test_a_place_spelt_like_nothing_offers_the_search_without_it(page):
    response = page.get("/therapists", query_string={"q": "thai", "near": "Qqqxzzv"})
    assert response.status_code == 200
    text = text_of(response)
    assert "We know no city spelt like “Qqqxzzv”" in text
    assert "search without a place (3 therapists)" in text


def test_the_api_still_answers_400_naming_near_with_suggestions(page):
    response = page.get("/api/v1/therapists", query_string={"near": "Seatle"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == "near"
    assert error["suggestions"][0] == "Seattle, US"


def test_nothing_within_reach_offers_the_radius_that_reaches_someone(page):
    args = {"near": "toronto", "radius_km": "10", "specialty": "lymphatic-drainage"}
    response = page.get("/therapists", query_string=args)
    assert "0 therapists" in text_of(response)
    assert "Widen the distance to 25 km: 1 therapist" in text_of(response)
    (wider,) = hrefs(response, "Widen the distance")
    assert "radius_km=25" in wider and "specialty=lymphatic-drainage" in wider


def test_nothing_within_the_widest_radius_offers_the_nearest_city_with_therapists(page):
    response = page.get("/therapists", query_string={"q": "shiatsu", "near": "toronto"})
    text = text_of(response)
    # Hiro Tanaka in Vancouver is nearer to Toronto than Ploy Kittisak in Bangkok.
    assert re.search(
        r"Nearest city with therapists: Vancouver \(3,?\d{3} km away\): 1 therapist", text
    )
    (nearest,) = hrefs(response, "Nearest city with therapists")
    assert "near=Vancouver%2C+CA" in nearest and "q=shiatsu" in nearest
    assert "Hiro Tanaka" in text_of(page.get(nearest))


def test_a_facet_does_not_shrink_its_own_list(directory):
    query = parse_search(MultiDict({"specialty": "thai"}))
    found = search(query, disjunctive=True)
    counts = {f.term.slug: f.count for f in found.choice_facets.specialties}
    everyone = {f.term.slug: f.count for f in run().facets.specialties}
    assert counts == everyone and counts["shiatsu"] == 2
    # The other facets count the search's own matches; the API's facets stay conjunctive.
    assert {f.term.slug: f.count for f in found.choice_facets.conditions if f.count} == {
        "upper-back-pain": 1,
        "posture-strain-from-prolonged-sitting": 1,
        "stress": 2,
        "neck-pain": 1,
        "lower-back-pain": 1,
    }
    assert {f.term.slug: f.count for f in found.facets.specialties}["shiatsu"] == 0


def test_the_page_lists_other_kinds_with_their_counts_once_one_is_chosen(page):
    html = page.get("/therapists", query_string={"specialty": "thai"}).get_data(as_text=True)
    assert re.search(r'value="shiatsu"\s*>\s*Shiatsu <span class="facet-count">2</span>', html)
    assert re.search(r'value="thai" checked>\s*Thai <span class="facet-count">3</span>', html)


def test_chosen_filters_are_chips_each_removable_with_clear_all(page):
    args = {"q": "massage", "specialty": "thai", "city": "Bangkok", "verified": "1"}
    response = page.get("/therapists", query_string=args)
    for chip in ("Thai", "Bangkok", "Verified credentials"):
        assert f'aria-label="Remove the filter {chip}"' in response.get_data(as_text=True)
    (without_thai,) = hrefs(response, "Thai")
    assert "specialty" not in without_thai and "city=Bangkok" in without_thai
    assert "q=massage" in without_thai
    (clear_all,) = hrefs(response, "Clear all")
    assert clear_all == "/therapists?q=massage"
    assert "2 therapists" in text_of(page.get(without_thai))  # John and Niran


def test_highest_rated_says_how_it_ranks_and_differs_from_best_match(page):
    by_rating = page.get("/therapists", query_string={"q": "neck pain", "sort": "rating"})
    text = text_of(by_rating)
    assert "Highest rated ranks by a confidence-adjusted rating" in text
    assert "equal ratings go to more reviews first" in text
    assert 'href="/how-reviews-work#ratings-heading"' in by_rating.get_data(as_text=True)
    # Sarah's reviews mention neck pain; she does not list it, so best match puts her last.
    rated, best = slugs(run(q="neck pain", sort="rating")), slugs(run(q="neck pain"))
    assert rated[0] == "sarah-lindqvist" and best[-1] == "sarah-lindqvist"
    assert sorted(rated) == sorted(best) and rated != best


def test_results_come_before_the_filters_with_a_filters_link(page):
    html = page.get("/therapists", query_string={"q": "massage"}).get_data(as_text=True)
    assert html.index('id="results"') < html.index('id="filters"')
    assert '<a href="#filters" class="filters-toggle"' in html
    assert '<a href="#results" class="filters-done"' in html


def test_a_typical_search_with_two_filters_stays_a_few_statements(page):
    args = {"q": "back pain", "specialty": "deep-tissue", "city": "toronto"}
    page.get("/therapists", query_string={"q": "neck", "city": "toronto"})  # reference data read
    with statements() as seen:
        response = page.get("/therapists", query_string=args)
    assert response.status_code == 200
    summaries = [s for s in seen if s.startswith("WITH matching")]
    # The summary, and one per facet with a choice (disjunctive facets), with the count
    # cache off as in the tests; the page's headshots in one; no statement per card, none
    # for the cities' names.
    assert len(summaries) == 3
    assert len(seen) <= 9, seen


def test_words_that_find_no_one_are_offered_with_a_word_left_out(page):
    response = page.get("/therapists", query_string={"q": "shiatsu hovercraft"})
    text = text_of(response)
    assert "0 therapists" in text
    assert "“shiatsu”, without “hovercraft”: 2 therapists" in text
    (fewer,) = hrefs(response, "“shiatsu”")
    assert "Ploy Kittisak" in text_of(page.get(fewer))
