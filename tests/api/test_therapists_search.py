"""GET /api/v1/therapists: the search page's search, as JSON."""

from __future__ import annotations

import pytest

from directory.search.query import MAX_PER_PAGE
from tests.api.data import LISTED
from tests.api.helpers import assert_matches, error_of

URL = "/api/v1/therapists"


def search(api, **params) -> dict:
    response = api.get(URL, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert_matches(body, "TherapistList")
    return body


def slugs(body: dict) -> list[str]:
    return [result["slug"] for result in body["results"]]


def test_the_list_answers_the_documented_shape_with_every_listed_therapist(api, directory):
    body = search(api)
    assert (body["total"], body["page"], body["per_page"]) == (len(LISTED), 1, 20)
    assert sorted(slugs(body)) == sorted(directory[row.name].slug for row in LISTED)
    john = next(r for r in body["results"] if r["slug"] == "john-wintertime")
    assert john["clinic"] == {
        "slug": "bang-rak",
        "name": "Bang Rak Thai Massage",
        "url": "http://localhost/clinics/bang-rak",
    }
    assert john["city"] == "Bangkok"
    assert john["url"] == "http://localhost/therapists/john-wintertime"
    assert {"slug": "thai", "name": "Thai"} in john["specialties"]
    assert {"slug": "upper-back-pain", "name": "Upper back pain"} in john["conditions"]
    assert john["rating"]["average"] == 4.75 and john["rating"]["count"] == 4
    assert john["accreditation_verified"] is True
    assert john["distance_km"] is None


def test_a_draft_therapist_is_never_listed_nor_counted(api, directory):
    assert "anna-draft" not in slugs(search(api, per_page=50))
    assert search(api, q="Anna Draft")["total"] == 0
    # Its thai and upper back pain count nowhere.
    facets = search(api)["facets"]
    assert {"slug": "thai", "name": "Thai", "count": 2} in facets["specialties"]


@pytest.mark.parametrize(
    "params",
    [
        {"specialty": "thai"},
        {"specialty": "Thai"},
        {"specialty": "THAI"},
        {"specialty": ["thai", "Trigger Point"]},
        {"condition": "upper-back-pain", "specialty": "thai"},
        {"condition": "Upper back pain", "city": "bangkok"},
        {"city": "BANGKOK", "language": "English"},
        {"language": ["en", "TH"]},
        {"q": "jon wintertime"},
        {"q": "upper back pain thai massage"},
    ],
)
def test_filters_by_slug_or_name_case_insensitive_and_repeated(api, directory, params):
    assert "john-wintertime" in slugs(search(api, **params))


def test_repeated_filters_narrow_or_widen_as_documented(api, directory):
    # Every specialty must match...
    assert slugs(search(api, specialty=["thai", "reflexology"])) == ["somchai-rattanakorn"]
    # ...and any of the cities.
    assert search(api, city=["bangkok", "toronto"])["total"] == len(LISTED)
    assert sorted(slugs(search(api, city="Toronto"))) == ["daniel-okafor", "sarah-lindqvist"]


def test_the_other_filters(api, directory):
    assert "daniel-okafor" not in slugs(search(api, accepting="true"))
    assert sorted(slugs(search(api, verified="yes"))) == ["john-wintertime", "sarah-lindqvist"]
    assert sorted(slugs(search(api, min_rating="4.5"))) == ["john-wintertime", "sarah-lindqvist"]
    near = search(api, near="Toronto", radius_km="25", sort="distance")
    assert sorted(slugs(near)) == ["daniel-okafor", "sarah-lindqvist"]
    assert all(r["distance_km"] is not None and r["distance_km"] < 25 for r in near["results"])


def test_sorting_by_rating_and_by_reviews(api, directory):
    assert slugs(search(api, sort="reviews"))[:2] == ["john-wintertime", "sarah-lindqvist"]
    by_rating = search(api, sort="rating")["results"]
    scores = [r["rating"]["score"] for r in by_rating]
    assert scores == sorted(scores, reverse=True)


def test_facets_count_every_result_not_just_the_page(api, directory):
    body = search(api, specialty="thai", per_page=1)
    assert body["total"] == 2 and len(body["results"]) == 1
    facets = body["facets"]
    counts = {f["slug"]: f["count"] for f in facets["specialties"]}
    assert counts["thai"] == 2 and counts["reflexology"] == 1 and counts["swedish"] == 0
    conditions = {f["slug"]: f["count"] for f in facets["conditions"]}
    assert conditions["upper-back-pain"] == 1 and conditions["stress"] == 1
    assert facets["cities"] == [
        {"slug": "bangkok", "name": "Bangkok", "country_code": "TH", "count": 2}
    ]
    assert (facets["verified"], facets["accepting"]) == (1, 2)


def test_pages_split_the_results_without_overlap(api, directory):
    seen = []
    for page in (1, 2, 3):
        body = search(api, per_page=2, page=page, sort="rating")
        assert body["page"] == page and body["per_page"] == 2 and body["total"] == 4
        seen += slugs(body)
    assert len(seen) == len(set(seen)) == 4
    assert search(api, per_page=2, page=3)["results"] == []


def test_per_page_is_capped_at_fifty_by_refusing_more(api, directory):
    assert search(api, per_page=MAX_PER_PAGE)["per_page"] == MAX_PER_PAGE
    error = error_of(api.get(URL, query_string={"per_page": MAX_PER_PAGE + 1}))
    assert error["parameter"] == "per_page"
    assert "50" in error["message"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("colour=blue", "colour"),
        ("q=thai&utm_source=x", "utm_source"),
        ("sort=cheapest", "sort"),
        ("sort=rating&sort=reviews", "sort"),
        ("radius_km=7", "radius_km"),
        ("radius_km=ten", "radius_km"),
        ("min_rating=9", "min_rating"),
        ("min_rating=0.5", "min_rating"),
        ("min_rating=good", "min_rating"),
        ("min_rating=nan", "min_rating"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=99999", "page"),
        ("page=1.5", "page"),
        ("page=abc", "page"),
        ("page=%C2%B2", "page"),
        ("page=" + "9" * 5000, "page"),
        ("per_page=0", "per_page"),
        ("per_page=" + "9" * 5000, "per_page"),
        ("specialty=levitation", "specialty"),
        ("condition=hiccups", "condition"),
        ("language=klingon", "language"),
        ("city=nowhereville-on-sea", "city"),
        ("city=%00", "city"),
        ("near=nowhereville-on-sea", "near"),
        ("near=%00", "near"),
        ("near=toronto&near=bangkok", "near"),
        ("verified=maybe", "verified"),
        ("accepting=2", "accepting"),
        ("specialty=" + "&specialty=".join(["thai"] * 11), "specialty"),
    ],
)
def test_bad_input_answers_400_naming_the_parameter(api, directory, query, parameter):
    error = error_of(api.get(f"{URL}?{query}"))
    assert error["parameter"] == parameter
    assert error["status"] == 400 and error["message"]


def test_empty_values_mean_not_set(api, directory):
    assert search(api, q="", specialty="", page="", sort="")["total"] == len(LISTED)
