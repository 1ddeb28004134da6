"""What Python computes for SQLite is what PostgreSQL computes: trigram similarity (pg_trgm)
and the stop words of the english configuration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.search.text import STOP_WORDS
from directory.search.trigrams import similarity, trigrams

pytestmark = pytest.mark.postgres

NAME_PAIRS = [
    ("John Wintertime", "jon wintertime"),
    ("John Wintertime", "wintertime"),
    ("John Wintertime", "wintertim"),
    ("John Wintertime", "John Wintertime"),
    ("Jon Winters", "jon wintertime"),
    ("Sarah Lindqvist", "sara lindqvist"),
    ("Sarah Lindqvist", "sarah lindquist"),
    ("Sarah Lindqvist", "lindqvist"),
    ("Marc-André Gagnon", "marc andre gagnon"),
    ("Marc-André Gagnon", "Marc-André"),
    ("Hiro Tanaka", "hiro tanka"),
    ("Niran Chaiyaporn", "niran chaiyapon"),
    ("Somchai Rattanakorn", "somchai"),
    ("Siobhán O'Brien", "siobhan obrien"),
    ("Łukasz Wójcik", "lukasz wojcik"),
    ("Zoë Ångström", "ZOË ÅNGSTRÖM"),
    ("李小龍", "李小"),
    ("John Ng", "jon ng"),
    ("Bo Li", "bo lee"),
    ("A B", "a b"),
    ("Anne-Marie St. Pierre", "anne marie st pierre"),
    ("Dr. Ada Lovelace 3rd", "ada lovelace"),
    ("x_y", "x y"),
    ("", "john"),
    ("!!!", "john"),
    ("Mississauga Massage", "missisauga masage"),
]


def pg_similarity(a: str, b: str) -> float:
    return db.session.scalar(sa.text("SELECT similarity(:a, :b)"), {"a": a, "b": b})


@pytest.mark.parametrize(("a", "b"), NAME_PAIRS)
def test_trigram_similarity_is_pg_trgms(app, a, b):
    assert similarity(a, b) == pytest.approx(pg_similarity(a, b), rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("text", ["ab", "John Wintertime", "Marc-André", "x_y  z", "a"])
def test_trigrams_are_pg_trgms(app, text):
    shown = db.session.scalar(sa.text("SELECT show_trgm(:t)"), {"t": text})
    if text.isascii():
        assert trigrams(text) == set(shown)
    else:  # pg_trgm shows non-ASCII trigrams as hashes: compare how many
        assert len(trigrams(text)) == len(shown)


NAME_TEXT = st.text(
    alphabet=st.sampled_from("abcdeijlmnorstuyzABJMOZ0123 -'.éèçñöüåøÉÖ"), max_size=30
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(a=NAME_TEXT, b=NAME_TEXT)
def test_trigram_similarity_is_pg_trgms_for_generated_names(app, a, b):
    assert similarity(a, b) == pytest.approx(pg_similarity(a, b), rel=1e-6, abs=1e-7)


def test_our_stop_words_are_the_english_configurations(app):
    kept = db.session.scalars(
        sa.text(
            "SELECT word FROM unnest(CAST(:words AS text[])) AS word"
            " WHERE to_tsvector('english', word) <> ''::tsvector"
        ),
        {"words": sorted(STOP_WORDS)},
    ).all()
    assert kept == []
    # ... and words that matter here are not among them.
    for word in ("upper", "back", "pain", "neck", "thai", "deep", "near", "john"):
        assert word not in STOP_WORDS
        assert db.session.scalar(
            sa.text("SELECT to_tsvector('english', :w) <> ''::tsvector"), {"w": word}
        )
