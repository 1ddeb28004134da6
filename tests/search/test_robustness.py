"""Whatever arrives in the query string, a search answers or names the bad parameter.

Generated text (query syntax of both engines, unicode, 2,000 characters) and generated
parameter sets go through parse_search + search on each backend: the outcome is a
SearchResults or a BadParameter (a 400), never another exception.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from directory.core.errors import BadParameter
from directory.extensions import db
from directory.search.engine import search
from directory.search.params import PARAMETERS, parse_search
from directory.search.results import SearchResults
from tests.search.fixtures import listed_rows

SYNTAX = [
    '"',
    "*",
    "NEAR(",
    ")",
    ":",
    "&",
    "|",
    "!",
    "-",
    "^",
    "'",
    "\\",
    "<->",
    "OR",
    "AND",
    "NOT",
    "{text_a}",
    "text_b:",
    "%",
    "_",
    ";",
    "--",
    "/*",
    "\x00",
]
WORDS = ["thai", "massage", "jon", "wintertime", "upper", "back", "pain", "the", "montréal"]

query_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=8)),
        max_size=25,
    ).map(" ".join),
    st.lists(st.sampled_from(SYNTAX + WORDS)).map("".join),
    st.text(min_size=1_900, max_size=2_100),
)

GOOD_VALUES = {
    "specialty": ["thai", "Deep tissue", "DEEP-TISSUE", "trigger-point"],
    "condition": ["upper-back-pain", "Neck pain", "stress"],
    "city": ["toronto", "Montréal", "bangkok", "london, ca", "Vancouver, US"],
    "near": ["toronto", "Mississauga", "bangkok"],
    "radius_km": ["5", "10", "25", "50"],
    "min_rating": ["1", "3.5", "4.5", "5"],
    "verified": ["1", "true", "no", "off"],
    "language": ["en", "Thai", "FR"],
    "accepting": ["yes", "0"],
    "sort": ["relevance", "rating", "reviews", "distance"],
    "page": ["1", "2", "500"],
    "per_page": ["1", "20", "50"],
    "q": ["jon wintertime", "upper back pain thai massage", ""],
}
BAD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e3",
    "NaN",
    "inf",
    "4.5.1",
    "٣",
    "²",
    "99999999999999999999999",
    "nowhere",
    "x" * 500,
    "\x00",
    "'; DROP TABLE therapists; --",
    "%",
    "_",
    "Toronto, ZZ",
    ",",
]

parameter_name = st.one_of(st.sampled_from(PARAMETERS), st.sampled_from(["utm_source", "Q", ""]))
parameter_value = st.one_of(
    st.sampled_from(BAD_VALUES),
    st.text(max_size=20),
    st.sampled_from([v for values in GOOD_VALUES.values() for v in values]),
)
parameter_pairs = st.lists(st.tuples(parameter_name, parameter_value), max_size=8)
good_pairs = st.lists(
    st.sampled_from(sorted(GOOD_VALUES)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(GOOD_VALUES[name]))
    ),
    max_size=6,
    unique_by=lambda pair: pair[0],
)

LISTED = len(listed_rows())


def answer(pairs: list[tuple[str, str]], strict: bool) -> SearchResults | BadParameter:
    try:
        return search(parse_search(MultiDict(pairs), strict=strict))
    except BadParameter as error:
        return error
    finally:
        db.session.rollback()  # each example starts clean, as each request does


def check(outcome, pairs) -> None:
    if isinstance(outcome, BadParameter):
        assert outcome.parameter in {name for name, _ in pairs} and outcome.message
        return
    assert isinstance(outcome, SearchResults)
    query = outcome.query
    assert 0 <= outcome.total <= LISTED
    assert len(outcome.hits) <= query.per_page
    if query.page == 1:
        assert len(outcome.hits) == min(outcome.total, query.per_page)
    assert len({hit.slug for hit in outcome.hits}) == len(outcome.hits)
    assert outcome.facets.verified <= outcome.total and outcome.facets.accepting <= outcome.total


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@fuzz(100)
@given(text=query_text, sort=st.sampled_from(["relevance", "rating", "distance"]))
def test_any_text_gets_an_answer(directory, text, sort):
    pairs = [("q", text), ("sort", sort), ("near", "toronto")]
    outcome = answer(pairs, strict=True)
    assert isinstance(outcome, SearchResults), outcome
    check(outcome, pairs)


@fuzz(60)
@given(pairs=parameter_pairs, strict=st.booleans())
def test_any_parameters_get_an_answer_or_a_bad_parameter(directory, pairs, strict):
    check(answer(pairs, strict), pairs)


@fuzz(40)
@given(pairs=good_pairs)
def test_good_parameters_always_get_results(directory, pairs):
    outcome = answer(pairs, strict=True)
    assert isinstance(outcome, SearchResults), f"{pairs} refused: {outcome}"
    check(outcome, pairs)


@pytest.mark.parametrize(
    ("pairs", "parameter"),
    [
        ([("radius_km", "7")], "radius_km"),
        ([("radius_km", "1e3")], "radius_km"),
        ([("min_rating", "NaN")], "min_rating"),
        ([("min_rating", "inf")], "min_rating"),
        ([("min_rating", "0.5")], "min_rating"),
        ([("page", "0")], "page"),
        ([("page", "٣")], "page"),
        ([("page", "²")], "page"),
        ([("per_page", "51")], "per_page"),
        ([("sort", "price")], "sort"),
        ([("sort", "rating"), ("sort", "reviews")], "sort"),
        ([("verified", "maybe")], "verified"),
        ([("specialty", "juggling")], "specialty"),
        ([("language", "xx")], "language"),
        ([("city", "Nowhereville")], "city"),
        ([("near", "toronto"), ("near", "bangkok")], "near"),
        ([("city", "toronto")] * 11, "city"),
        ([("utm_source", "mail")], "utm_source"),
    ],
)
def test_bad_parameters_are_named(directory, pairs, parameter):
    outcome = answer(pairs, strict=True)
    assert isinstance(outcome, BadParameter) and outcome.parameter == parameter


def test_unknown_parameters_are_ignored_unless_strict(directory):
    outcome = answer([("utm_source", "mail"), ("q", "thai")], strict=False)
    assert isinstance(outcome, SearchResults) and outcome.total == 3
