"""What a person types becomes words, phrases and exclusions, never query syntax."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.search.text import (
    MAX_TERMS,
    MAX_TEXT_LENGTH,
    STOP_WORDS,
    TextQuery,
    parse,
    words_of,
)

WORD = re.compile(r"[^\W_]+")


@pytest.mark.parametrize(
    ("typed", "words", "phrases", "excluded"),
    [
        ("Deep TISSUE the deep", ("deep", "tissue"), (), ()),
        ('"upper back" pain', ("pain",), (("upper", "back"),), ()),
        ('"thai"', (), (("thai",),), ()),
        ('"the"', (), (), ()),  # a phrase of one stop word is no phrase
        ('"the back"', (), (("the", "back"),), ()),  # inside a phrase, stop words stay
        ("massage -thai", ("massage",), (), ("thai",)),
        ("massage - thai", ("massage", "thai"), (), ()),  # a lone dash excludes nothing
        ("marc-andré", ("marc", "andré"), (), ()),  # a dash inside a word joins
        ("massage -the", ("massage",), (), ()),
        ("-thai", (), (), ()),  # nothing to exclude from
        ("x -a -b -c -d -e", ("x",), (), ("b", "c", "d")),  # at most three exclusions
        ('upper "back pain', ("upper", "back", "pain"), (), ()),  # an unclosed quote
        ('thai"massage"', ("thai",), (("massage",),), ()),
        ("NEAR(thai massage, 2)", ("near", "thai", "massage", "2"), (), ()),
        ("col:thai * & | ! ^ ( ) { } [ ] + ~", ("col", "thai"), (), ()),
        ("a_b", ("b",), (), ()),  # underscores separate words, as in both engines
        ("Montréal Łódź 東京", ("montréal", "łódź", "東京"), (), ()),
        ("  deep\n\ttissue  ", ("deep", "tissue"), (), ()),
        ("", (), (), ()),
        (None, (), (), ()),
    ],
)
def test_parse(typed, words, phrases, excluded):
    query = parse(typed)
    assert (query.words, query.phrases, query.excluded) == (words, phrases, excluded)


def test_an_excluded_phrase_is_excluded_not_required():
    query = parse('massage -"upper back"')
    assert query.words == ("massage",) and query.phrases == ()
    assert query.excluded == ("upper back",)
    assert query.websearch() == 'massage -"upper back"'
    assert query.fts5() == '("massage") NOT ("upper back")'


def test_the_raw_text_is_trimmed_and_cut():
    assert parse("  deep\n\ttissue  ").raw == "deep tissue"
    query = parse("x" * 2_000)
    assert len(query.raw) == MAX_TEXT_LENGTH and query.words == ("x" * MAX_TEXT_LENGTH,)


def test_at_most_max_terms_words_and_phrases():
    many = " ".join(f"word{n}" for n in range(30))
    assert len(parse(many).words) == MAX_TERMS
    phrases = " ".join(f'"a{n} b{n}"' for n in range(15))
    query = parse(phrases + " extra")
    assert len(query.phrases) == MAX_TERMS and query.words == ()


def test_terms_and_emptiness():
    query = parse('pain "upper back"')
    assert query.terms == ("pain", "upper", "back")
    assert not query.is_empty
    assert parse("the of and").is_empty
    assert TextQuery().is_empty and TextQuery().websearch() == "" and TextQuery().fts5() == ""


@pytest.mark.parametrize(
    ("typed", "websearch", "fts5"),
    [
        ("deep tissue", "deep tissue", '"deep" AND "tissue"'),
        ('pain "upper back"', 'pain "upper back"', '"pain" AND "upper back"'),
        ("massage -thai -hot", 'massage -"thai" -"hot"', '("massage") NOT ("thai" OR "hot")'),
        ('NEAR("a" b) OR thai:*', "near b thai", '"near" AND "b" AND "thai"'),
    ],
)
def test_rendered_for_each_engine(typed, websearch, fts5):
    query = parse(typed)
    assert (query.websearch(), query.fts5()) == (websearch, fts5)


def test_words_of():
    assert words_of("Marc-André O'Brien_2") == ["marc", "andré", "o", "brien", "2"]
    assert words_of("!!!") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_becomes_plain_quoted_words(typed):
    query = parse(typed)
    pieces = list(query.words) + [w for p in query.phrases for w in p]
    pieces += [w for e in query.excluded for w in e.split(" ")]
    assert all(WORD.fullmatch(piece) for piece in pieces)
    assert len(query.words) + len(query.phrases) <= MAX_TERMS
    assert len(query.excluded) <= 3
    assert not set(query.words) & STOP_WORDS
    assert len(query.raw) <= MAX_TEXT_LENGTH
    # Nothing but words, spaces, quotes around words and a dash before them reaches SQL.
    assert re.fullmatch(r'[^\W_]*(?:[ "\-]+[^\W_]*)*"?', query.websearch())
    assert re.fullmatch(r'[^\W_]*(?:[ "()]+(?:NOT|OR|AND)?[^\W_]*)*', query.fts5())
