"""The profile, reviews and clinic endpoints: public facts only, 404 for anything else."""

from __future__ import annotations

import pytest

from directory.reviews.models import ReviewState
from tests.api.data import HIDDEN_REVIEW_TITLES, REVIEWER_EMAIL_DOMAIN
from tests.api.helpers import assert_matches, error_of


def get(api, url: str, schema: str, **params) -> dict:
    response = api.get(url, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert_matches(body, schema)
    return body


def test_the_profile_shows_public_facts_checked_credentials_and_the_rating(api, directory):
    body = get(api, "/api/v1/therapists/john-wintertime", "TherapistProfile")
    assert body["name"] == "John Wintertime"
    assert body["headline"] == "Registered massage therapist and rehabilitation specialist"
    assert body["years_experience"] == 11
    assert body["price"] == {"min": 90, "max": 120, "currency": "THB", "session_minutes": 60}
    assert body["does_not_treat"].startswith("Fever")
    assert body["clinic"]["slug"] == "bang-rak"
    assert body["city"] == {"slug": "bangkok", "name": "Bangkok", "country_code": "TH"}
    assert [t["slug"] for t in body["specialties"]] == ["deep-tissue", "thai", "trigger-point"]
    assert [t["slug"] for t in body["languages"]] == ["en", "th"]
    assert body["reviews_url"] == "http://localhost/api/v1/therapists/john-wintertime/reviews"

    # Verified and expired credentials only, each with its state, expiry and checker.
    credentials = {c["number"]: c for c in body["accreditations"]}
    assert set(credentials) == {f"R-{directory['John Wintertime'].id}", "R-OLD"}
    old = credentials["R-OLD"]
    assert (old["state"], old["expires_on"]) == ("expired", "2014-01-01")
    assert old["checked_by"] == "Morgan Moderator"
    assert body["accreditation_verified"] is True

    rating = body["rating"]
    assert (rating["average"], rating["count"], rating["few_reviews"]) == (4.75, 4, True)
    assert rating["distribution"] == [
        {"stars": 5, "count": 3},
        {"stars": 4, "count": 1},
        {"stars": 3, "count": 0},
        {"stars": 2, "count": 0},
        {"stars": 1, "count": 0},
    ]
    assert rating["aspects"] == {"technique": 5.0, "value": 4.0}


def test_a_therapist_without_reviews_or_credentials(api, directory):
    body = get(api, "/api/v1/therapists/daniel-okafor", "TherapistProfile")
    assert body["accreditations"] == [] and body["accreditation_verified"] is False
    assert body["price"] is None and body["years_experience"] is None
    assert body["accepting_new_clients"] is False


def test_reviews_are_published_only_newest_first_without_emails(api, directory):
    response = api.get("/api/v1/therapists/john-wintertime/reviews")
    text = response.get_data(as_text=True)
    body = get(api, "/api/v1/therapists/john-wintertime/reviews", "ReviewList")
    assert (body["total"], body["page"], body["per_page"], body["sort"]) == (4, 1, 10, "newest")
    published = [r["published_at"] for r in body["results"]]
    assert published == sorted(published, reverse=True)
    for title in HIDDEN_REVIEW_TITLES.values():
        assert title not in text
    assert REVIEWER_EMAIL_DOMAIN not in text and "@" not in text
    assert "A held reply" not in text

    oldest = body["results"][-1]
    assert oldest["title"] == "My upper back let go"
    assert oldest["reviewer"] == "S.R."  # initials only, as asked
    assert oldest["provenance"] == "verified_client"
    assert oldest["visit_month"] == "2026-03"
    assert oldest["aspects"] == {"technique": 5, "value": 4}
    assert oldest["reply"]["body"] == "Thank you, Sam."
    assert body["results"][0]["reply"] is None  # its reply is held


def test_reviews_page_and_sort(api, directory):
    pages = [
        get(api, "/api/v1/therapists/john-wintertime/reviews", "ReviewList", per_page=3, page=n)
        for n in (1, 2)
    ]
    assert [len(p["results"]) for p in pages] == [3, 1]
    ids = [r["id"] for p in pages for r in p["results"]]
    assert len(set(ids)) == 4
    helpful = get(api, "/api/v1/therapists/john-wintertime/reviews", "ReviewList", sort="helpful")
    assert helpful["results"][0]["helpful_count"] == 3
    assert (
        get(api, "/api/v1/therapists/john-wintertime/reviews", "ReviewList", per_page=50)[
            "per_page"
        ]
        == 50
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=51", "per_page"),
        ("per_page=0", "per_page"),
        ("page=-1", "page"),
        ("page=99999", "page"),
        ("page=%C2%B2", "page"),
        ("page=1&page=2", "page"),
        ("sort=oldest", "sort"),
        ("q=thai", "q"),
    ],
)
def test_bad_review_parameters_answer_400_naming_them(api, directory, query, parameter):
    response = api.get(f"/api/v1/therapists/john-wintertime/reviews?{query}")
    assert error_of(response)["parameter"] == parameter


@pytest.mark.parametrize(
    "url",
    ["/api/v1/therapists/john-wintertime?fields=name", "/api/v1/clinics/bang-rak?page=1"],
)
def test_endpoints_without_parameters_refuse_any(api, directory, url):
    assert error_of(api.get(url))["parameter"] in {"fields", "page"}


def test_the_clinic_card_lists_its_published_therapists(api, directory):
    body = get(api, "/api/v1/clinics/queen-west", "Clinic")
    assert body["name"] == "Queen West"
    assert body["city"]["slug"] == "toronto"
    assert body["phone"] == "+66 2 000 0000" and body["website"] is None
    assert [t["slug"] for t in body["therapists"]] == ["daniel-okafor", "sarah-lindqvist"]
    sarah = body["therapists"][1]
    assert (sarah["rating"]["average"], sarah["rating"]["count"]) == (4.75, 4)
    assert body["rating"]["count"] == 5  # Sarah's four and Daniel's one


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/therapists/nobody",
        "/api/v1/therapists/anna-draft",
        "/api/v1/therapists/anna-draft/reviews",
        "/api/v1/therapists/nobody/reviews",
        "/api/v1/clinics/nowhere",
        "/api/v1/nothing-here",
    ],
)
def test_unknown_or_unlisted_answers_404_json(api, directory, url):
    assert directory["Anna Draft"].slug == "anna-draft"  # a draft: never public
    assert error_of(api.get(url), 404)["status"] == 404


@pytest.mark.parametrize("url", ["/api/v1/therapists/%00", "/api/v1/clinics/a%00b"])
def test_a_nul_character_in_the_address_answers_400_json(api, url):
    assert error_of(api.get(url), 400)["status"] == 400


def test_hidden_review_states_are_exactly_the_unpublished_ones():
    assert ReviewState.PUBLISHED not in HIDDEN_REVIEW_TITLES
    assert set(HIDDEN_REVIEW_TITLES) | {ReviewState.PUBLISHED} == set(ReviewState)
