"""The same questions get the same answers on SQLite and PostgreSQL.

Every test runs once per backend against the directory of tests/search/fixtures.py and
compares what comes back with one expected answer written here, worked out by hand from
that directory, so both backends passing is the parity.

The ranking facts the expectations rest on (platform mean 172 / 40 = 4.3, five imaginary
reviews at that mean):

    therapist            city          reviews          score   verified  accepting
    Sarah Lindqvist      Toronto       5 5 5 4 5 5      4.591   yes       yes
    John Wintertime      Bangkok       5 5 4 5          4.5     yes       yes
    Aisha Khan           Mississauga*  5 5              4.5               yes
    Hiro Tanaka          Vancouver     5 4 5            4.438   yes       yes
    Malee Srisuk         Bangkok       5                4.417
    Elena Petrova        Mississauga   5 4              4.357   yes       yes
    Marcus Bell          Toronto       5 4 4 5 4        4.35    yes       yes
    Daniel Okafor        Toronto       4 5 4            4.313   yes       yes
    Julie Tremblay       Montréal      4 4 5            4.313   yes       yes
    Ploy Kittisak        Bangkok       -                4.3               yes
    Marc-André Gagnon    Montréal      -                4.3               yes
    Jon Winters          Vancouver     -                4.3               yes
    Priya Sharma         Toronto       4                4.25              yes
    Somchai Rattanakorn  Bangkok       4 4              4.214             yes
    Tomasz Nowak         Mississauga   3                4.083
    Mei Chen             Toronto       3 4              4.071
    Niran Chaiyaporn     Bangkok       4 3 4            4.063   yes       yes
    Olivia Brooks        Vancouver     2 3              3.786

    * Aisha's clinic is at Mississauga's centre (25.3 km from Toronto's); Elena's and
      Tomasz's clinic entered its own coordinates, about 21 km from Toronto's centre.

Equal scores fall back to more reviews, then the older therapist (lower id).  "Best match"
puts names that look like what was typed first, then therapists holding every word in
their key fields (name, specialties, conditions, city, clinic), then the rest; each tier
best-rated first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from directory.search.query import DEFAULT_PER_PAGE, MAX_PER_PAGE
from tests.search.conftest import run, slugs
from tests.search.fixtures import CLINICS, PENDING_REVIEW_WORD, listed_rows

THE_FIVE_WITH_UPPER_BACK_PAIN = [
    "john-wintertime",
    "daniel-okafor",
    "julie-tremblay",
    "tomasz-nowak",
    "niran-chaiyaporn",
]
BY_RATING = [
    "sarah-lindqvist",
    "john-wintertime",
    "aisha-khan",
    "hiro-tanaka",
    "malee-srisuk",
    "elena-petrova",
    "marcus-bell",
    "daniel-okafor",
    "julie-tremblay",
    "ploy-kittisak",
    "marc-andre-gagnon",
    "jon-winters",
    "priya-sharma",
    "somchai-rattanakorn",
    "tomasz-nowak",
    "mei-chen",
    "niran-chaiyaporn",
    "olivia-brooks",
]


NECK_PAIN = [  # five with it among their conditions, then one whose reviews mention it
    "hiro-tanaka",
    "daniel-okafor",
    "ploy-kittisak",
    "somchai-rattanakorn",
    "mei-chen",
    "sarah-lindqvist",
]


@dataclass(frozen=True)
class Case:
    args: dict
    total: int
    top: list[str]  # the first hits, in order

    def __str__(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.args.items())


CASES = [
    # The acceptance examples: a misspelt name, and what a client types.
    Case({"q": "jon wintertime"}, 2, ["john-wintertime", "jon-winters"]),
    Case({"q": "upper back pain thai massage"}, 1, ["john-wintertime"]),
    # Names, misspelt or not; the draft Anna Wintertime is never listed.
    Case({"q": "Sarah Lindqvist"}, 1, ["sarah-lindqvist"]),
    Case({"q": "sara lindqvist"}, 1, ["sarah-lindqvist"]),
    Case({"q": "lindqvist"}, 1, ["sarah-lindqvist"]),
    Case({"q": "jon winters"}, 2, ["jon-winters", "john-wintertime"]),
    Case({"q": "wintertime"}, 1, ["john-wintertime"]),
    Case({"q": "Marc-André Gagnon"}, 1, ["marc-andre-gagnon"]),
    # Best match: every hit below holds every word in its key fields (name, specialties,
    # conditions, city, clinic), so they come best-rated first ...
    Case({"q": "deep tissue upper back pain"}, 5, THE_FIVE_WITH_UPPER_BACK_PAIN),
    Case({"q": "thai"}, 3, ["john-wintertime", "malee-srisuk", "somchai-rattanakorn"]),
    Case({"q": "wellness -sukhumvit"}, 2, ["elena-petrova", "tomasz-nowak"]),
    Case({"q": 'wellness -"port credit"'}, 2, ["ploy-kittisak", "niran-chaiyaporn"]),
    # ... a clinic's name, a city's name ...
    Case({"q": "Sukhumvit Wellness"}, 2, ["ploy-kittisak", "niran-chaiyaporn"]),
    Case({"q": "Kitsilano Bodywork"}, 3, ["hiro-tanaka", "jon-winters", "olivia-brooks"]),
    Case({"q": "vancouver"}, 3, ["hiro-tanaka", "jon-winters", "olivia-brooks"]),
    Case(
        {"q": "toronto"},
        5,
        ["sarah-lindqvist", "marcus-bell", "daniel-okafor", "priya-sharma", "mei-chen"],
    ),
    # ... and before a better-rated therapist whose reviews alone hold the words.
    Case({"q": "neck pain"}, 6, NECK_PAIN),
    Case({"q": "montréal", "sort": "rating"}, 2, ["julie-tremblay", "marc-andre-gagnon"]),
    # Words from a published review count; from a review still pending, not.
    Case({"q": "desk"}, 1, ["john-wintertime"]),
    Case({"q": PENDING_REVIEW_WORD}, 0, []),
    # A phrase; words joined by any punctuation; only stop words (no words: everything).
    Case({"q": '"upper back"', "sort": "rating"}, 5, THE_FIVE_WITH_UPPER_BACK_PAIN),
    Case({"q": "upper-back:pain!", "sort": "rating"}, 5, THE_FIVE_WITH_UPPER_BACK_PAIN),
    Case({"q": "the and of"}, 18, BY_RATING[:5]),
    # Filters only: by rating.
    Case({}, 18, BY_RATING[:5]),
    Case(
        {"specialty": "deep-tissue"},
        6,
        ["john-wintertime", "marcus-bell", "daniel-okafor", "julie-tremblay", "tomasz-nowak"],
    ),
    Case(
        {"specialty": "Deep Tissue", "condition": "upper back pain", "city": "Bangkok"},
        2,
        ["john-wintertime", "niran-chaiyaporn"],
    ),
    Case(
        {"city": "toronto"},
        5,
        ["sarah-lindqvist", "marcus-bell", "daniel-okafor", "priya-sharma", "mei-chen"],
    ),
    Case(
        {"city": ["montreal", "Vancouver"]},
        5,
        ["hiro-tanaka", "julie-tremblay", "marc-andre-gagnon", "jon-winters", "olivia-brooks"],
    ),
    # Distance from Toronto's centre: 25 km takes in the east Mississauga clinic, not the
    # one at Mississauga's centre (25.3 km), and never Montréal.
    Case(
        {"near": "Toronto", "radius_km": "25"},
        7,
        ["sarah-lindqvist", "elena-petrova", "marcus-bell", "daniel-okafor", "priya-sharma"],
    ),
    Case(
        {"near": "toronto", "radius_km": "50"},
        8,
        ["sarah-lindqvist", "aisha-khan", "elena-petrova", "marcus-bell", "daniel-okafor"],
    ),
    Case({"near": "montreal", "radius_km": "5"}, 2, ["julie-tremblay", "marc-andre-gagnon"]),
    Case(
        {"min_rating": "4.5"},
        6,
        ["sarah-lindqvist", "john-wintertime", "aisha-khan", "hiro-tanaka", "malee-srisuk"],
    ),
    Case({"min_rating": "5"}, 2, ["aisha-khan", "malee-srisuk"]),
    Case(
        {"verified": "true"},
        8,
        ["sarah-lindqvist", "john-wintertime", "hiro-tanaka", "elena-petrova", "marcus-bell"],
    ),
    Case({"language": "fr"}, 2, ["julie-tremblay", "marc-andre-gagnon"]),
    Case({"language": "French"}, 2, ["julie-tremblay", "marc-andre-gagnon"]),
    # Repeated filters of one kind all apply (cities excepted: a place is one of them).
    Case(
        {"language": ["th", "en"]},
        3,
        ["john-wintertime", "somchai-rattanakorn", "niran-chaiyaporn"],
    ),
    Case(
        {"accepting": "yes"},
        14,
        ["sarah-lindqvist", "john-wintertime", "aisha-khan", "hiro-tanaka", "elena-petrova"],
    ),
    Case(
        {"accepting": "1", "verified": "1", "city": "bangkok"},
        2,
        ["john-wintertime", "niran-chaiyaporn"],
    ),
    # Each sort.
    Case({"sort": "relevance"}, 18, BY_RATING[:5]),
    Case({"sort": "rating"}, 18, BY_RATING[:5]),
    Case(
        {"sort": "reviews"},
        18,
        [
            "sarah-lindqvist",
            "marcus-bell",
            "john-wintertime",
            "hiro-tanaka",
            "daniel-okafor",
            "julie-tremblay",
            "niran-chaiyaporn",
        ],
    ),
    Case(
        {"sort": "distance", "near": "toronto", "radius_km": "50"},
        8,
        [
            "sarah-lindqvist",
            "marcus-bell",
            "daniel-okafor",
            "priya-sharma",
            "mei-chen",
            "elena-petrova",
            "tomasz-nowak",
            "aisha-khan",
        ],
    ),
    Case({"sort": "distance"}, 18, BY_RATING[:5]),  # no place to measure from: relevance
    Case(
        {"q": "bodywork", "sort": "reviews"},
        4,
        ["hiro-tanaka", "aisha-khan", "olivia-brooks", "jon-winters"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_both_backends_give_the_expected_answer(directory, case):
    results = run(case.args)
    assert results.total == case.total
    assert slugs(results)[: len(case.top)] == case.top
    assert len(results.hits) == min(case.total, DEFAULT_PER_PAGE)


@pytest.mark.parametrize("typed", ["montreal", "Montréal", "MONTREAL"])
def test_a_city_is_found_with_or_without_its_accent(directory, typed):
    results = run(q=typed)
    assert (results.total, set(slugs(results))) == (2, {"julie-tremblay", "marc-andre-gagnon"})


def test_pages_continue_without_overlap(directory):
    pages = [run(sort="rating", per_page="5", page=str(n)) for n in (1, 2, 3, 4, 5)]
    assert [r.total for r in pages] == [18] * 5
    assert [len(r.hits) for r in pages] == [5, 5, 5, 3, 0]
    assert [s for r in pages for s in slugs(r)] == BY_RATING

    # Pages of a text search run on across the tiers of "best match".
    for per_page in (2, 4, 5):
        text = [run(q="neck pain", per_page=str(per_page), page=str(n)) for n in (1, 2, 3)]
        assert {r.total for r in text} == {6}
        assert [s for r in text for s in slugs(r)] == NECK_PAIN
    names = [run(q="jon wintertime", per_page="1", page=str(n)) for n in (1, 2, 3)]
    assert [slugs(r) for r in names] == [["john-wintertime"], ["jon-winters"], []]
    # The same page asked twice is the same page (the order is total: ids break ties).
    assert slugs(run(q="neck pain", per_page="4", page="2")) == NECK_PAIN[4:]

    big = run(per_page=str(MAX_PER_PAGE))
    assert slugs(big) == BY_RATING


def city_of(row) -> str:
    return next(c.city for c in CLINICS if c.name == row.clinic)


FACET_CASES = [
    ({}, lambda row: True),
    ({"city": "toronto"}, lambda row: city_of(row) == "toronto"),
    ({"specialty": "deep-tissue"}, lambda row: "deep-tissue" in row.modalities),
    ({"accepting": "1", "language": "en"}, lambda row: row.accepting and "en" in row.languages),
    (
        {"near": "toronto", "radius_km": "25"},
        lambda row: city_of(row) == "toronto" or row.clinic == "Port Credit Wellness",
    ),
    # Only the conditions hold all three words.
    ({"q": "upper back pain"}, lambda row: "upper-back-pain" in row.conditions),
]


@pytest.mark.parametrize(("args", "keep"), FACET_CASES, ids=[str(a) for a, _ in FACET_CASES])
def test_facet_counts_are_counts_of_the_whole_match_set(directory, args, keep):
    rows = [row for row in listed_rows() if keep(row)]
    results = run(args)
    facets = results.facets
    assert results.total == len(rows)
    specialties = Counter(slug for row in rows for slug in row.modalities)
    conditions = Counter(slug for row in rows for slug in row.conditions)
    cities = Counter(city_of(row) for row in rows)
    # Every term of the vocabulary is listed, with 0 where nothing matches.
    assert {f.term.slug: f.count for f in facets.specialties if f.count} == specialties
    assert {f.term.slug: f.count for f in facets.conditions if f.count} == conditions
    assert len(facets.specialties) == 14 and len(facets.conditions) == 14
    assert [f.term.name for f in facets.specialties] == sorted(
        f.term.name for f in facets.specialties
    )
    assert {f.term.slug: f.count for f in facets.cities} == cities
    counts = [f.count for f in facets.cities]
    assert counts == sorted(counts, reverse=True)
    assert facets.verified == sum(row.verified for row in rows)
    assert facets.accepting == sum(row.accepting for row in rows)


def test_facets_do_not_depend_on_the_page_or_the_sort(directory):
    first = run(city="toronto", per_page="2")
    other = run(city="toronto", per_page="2", page="3", sort="reviews")
    assert first.facets == other.facets and first.total == other.total == 5


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("jon wintertime", "John Wintertime"),
        ("wintertim", "John Wintertime"),
        ("sara lindqvist", "Sarah Lindqvist"),
        ("wintertime", None),  # every word typed is in the name found
        ("John Wintertime", None),
        ("jon winters", None),
        ("massage", None),
        ("upper back pain thai massage", None),
    ],
)
def test_did_you_mean(directory, typed, suggestion):
    assert run(q=typed).did_you_mean == suggestion


def test_why_a_hit_matched(directory):
    [john] = run(q="upper back pain thai massage").hits
    assert [t.slug for t in john.matched_specialties] == ["thai"]
    assert [t.slug for t in john.matched_conditions] == ["upper-back-pain"]
    assert not john.name_matched

    hits = run(specialty="shiatsu", condition="neck-pain").hits
    assert [h.slug for h in hits] == ["hiro-tanaka", "ploy-kittisak"]
    for hit in hits:
        assert [t.slug for t in hit.matched_specialties] == ["shiatsu"]
        assert [t.slug for t in hit.matched_conditions] == ["neck-pain"]

    for hit in run(q="jon wintertime").hits:
        assert hit.name_matched
        assert hit.matched_specialties == [] and hit.matched_conditions == []

    daniel = next(h for h in run(q="trigger point").hits if h.slug == "daniel-okafor")
    assert [t.slug for t in daniel.matched_specialties] == ["trigger-point"]
    assert daniel.matched_conditions == []
    # Nothing is "matched" when nothing was asked for.
    for hit in run(city="toronto").hits:
        assert hit.matched_specialties == [] and hit.matched_conditions == []
        assert not hit.name_matched


def test_a_hit_carries_what_a_result_card_shows(directory):
    [john] = run(q="upper back pain thai massage").hits
    assert (john.slug, john.name, john.clinic_slug, john.clinic_name, john.city_name) == (
        "john-wintertime",
        "John Wintertime",
        "bang-rak-thai-massage",
        "Bang Rak Thai Massage",
        "Bangkok",
    )
    assert john.headline.startswith("Registered massage therapist")
    assert [t.name for t in john.specialties] == ["Deep tissue", "Thai", "Trigger point"]
    assert [t.slug for t in john.conditions] == [
        "posture-strain-from-prolonged-sitting",
        "upper-back-pain",
    ]
    assert [(t.key, t.name) for t in john.languages] == [("en", "English"), ("th", "Thai")]
    assert john.accepting_new_clients and john.accreditation_verified
    assert (john.rating_count, john.rating_mean) == (4, pytest.approx(4.75))
    assert john.rating_score == pytest.approx(4.5)
    assert john.distance_km is None


def test_distances_are_measured_from_the_place_asked_for(directory):
    hits = {h.slug: h for h in run(near="toronto", radius_km="50", sort="distance").hits}
    assert hits["sarah-lindqvist"].distance_km == pytest.approx(0.0, abs=1e-6)
    assert hits["elena-petrova"].distance_km == pytest.approx(20.8, abs=0.1)
    assert hits["aisha-khan"].distance_km == pytest.approx(25.25, abs=0.01)
    ordered = [h.distance_km for h in run(near="toronto", radius_km="50", sort="distance").hits]
    assert ordered == sorted(ordered)
