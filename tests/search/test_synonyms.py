"""Synonyms: the words a client types find what they mean, the same on both backends."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from directory.search.synonyms import expand, groups_of
from directory.search.text import STOP_WORDS, Expansion, parse, words_of
from tests.search.conftest import run, slugs

MIGRATION = Path(__file__).parents[2] / "migrations/versions/2026_12_05_0013_search_synonyms.py"
GROUPS = groups_of(
    [("pregnancy", "prenatal"), ("pregnant", "prenatal"), ("sore back", "back pain")]
)
PRENATAL = ["sarah-lindqvist", "aisha-khan"]  # best-rated first


def migration_pairs() -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("synonyms_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PAIRS


def test_the_reviewed_table_has_forty_pairs_without_stop_words_or_repeats():
    pairs = migration_pairs()
    assert len(pairs) >= 40
    assert len({frozenset(pair) for pair in pairs}) == len(pairs)
    for phrase in (p for pair in pairs for p in pair):
        words = words_of(phrase)
        # A stop word would be dropped by PostgreSQL and kept by SQLite inside a phrase.
        assert words and not set(words) & STOP_WORDS, phrase
        assert " ".join(words) == phrase, phrase
    for required in [
        ("pregnancy", "prenatal"),
        ("sore back", "back pain"),
        ("stiff neck", "neck pain"),
        ("rmt", "registered massage therapist"),
    ]:
        assert required in pairs


def test_pairs_sharing_a_phrase_make_one_group_that_works_both_ways():
    assert GROUPS[("pregnancy",)] == (("pregnant",), ("prenatal",))
    assert GROUPS[("prenatal",)] == (("pregnancy",), ("pregnant",))
    assert GROUPS[("back", "pain")] == (("sore", "back"),)


@pytest.mark.parametrize(
    ("typed", "words", "expansions"),
    [
        (
            "massage for pregnancy",
            ("massage",),
            [Expansion(("pregnancy",), (("pregnant",), ("prenatal",)))],
        ),
        ("sore back thai", ("thai",), [Expansion(("sore", "back"), (("back", "pain"),))]),
        # The longest run wins; words around it stay plain.
        ("upper back pain", ("upper",), [Expansion(("back", "pain"), (("sore", "back"),))]),
        ("back sore", ("back", "sore"), []),  # a phrase is a run in its order
        ('"pregnancy" massage', ("massage",), []),  # a quoted phrase is meant exactly
        ("swedish", ("swedish",), []),
    ],
)
def test_expansion_replaces_runs_of_typed_words(typed, words, expansions):
    expanded = expand(parse(typed), GROUPS)
    assert expanded.words == words
    assert list(expanded.expansions) == expansions
    assert not expanded.is_empty


def test_an_expansion_is_an_or_group_for_both_engines():
    expanded = expand(parse("massage for pregnancy -thai"), GROUPS)
    assert expanded.fts5() == (
        '("massage" AND (("pregnancy") OR ("pregnant") OR ("prenatal"))) NOT ("thai")'
    )
    assert expanded.websearch() == 'massage -"thai"'
    assert expanded.expansions[0].websearch_parts() == ["pregnancy", "pregnant", "prenatal"]
    # Each way matches by all its words, anywhere, as the typed words always have.
    sore = expand(parse("sore back"), GROUPS)
    assert sore.fts5() == '(("sore" AND "back") OR ("back" AND "pain"))'
    assert sore.expansions[0].websearch_parts() == ["sore back", "back pain"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pregnant", PRENATAL),
        ("massage for pregnancy", PRENATAL),
        ("maternity massage", PRENATAL),
        ("rmt", ["john-wintertime"]),
        ("RMT thai", ["john-wintertime"]),
    ],
)
def test_synonyms_find_what_the_words_mean(directory, q, expected):
    assert slugs(run(q=q)) == expected


def test_words_find_their_synonyms_words(directory):
    # Nobody writes "sore back"; these treat back pain (upper or lower), best-rated first.
    assert slugs(run(q="sore back")) == [
        "john-wintertime",
        "malee-srisuk",
        "marcus-bell",
        "daniel-okafor",
        "julie-tremblay",
        "priya-sharma",
        "tomasz-nowak",
        "niran-chaiyaporn",
    ]
    stiff = run(q="stiff neck")
    assert set(slugs(stiff)) == set(slugs(run(q="neck pain"))) and stiff.total == 6


def test_a_synonym_shows_why_a_therapist_matched(directory):
    sarah = next(hit for hit in run(q="pregnant").hits if hit.slug == "sarah-lindqvist")
    assert [t.name for t in sarah.matched_specialties] == ["Prenatal"]
