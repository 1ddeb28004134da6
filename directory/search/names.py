"""Names that look like what was typed: found once per search (and cached), they widen
the match, make the first tier of "best match" and offer a "did you mean"."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from directory.search import cache
from directory.search.backends import NameMatch, current_backend
from directory.search.models import SearchDocument
from directory.search.query import SearchQuery
from directory.search.text import words_of
from directory.search.trigrams import SUGGESTION

docs = SearchDocument.__table__
# Names are short: only a short query can be (part of) a misspelt name.
MAX_NAME_WORDS = 4
NAME_CANDIDATES = 20


def similar_names(query: SearchQuery) -> list[NameMatch]:
    """Names that look like what was typed (cached per index generation, like the counts:
    the same words are typed far more often than names change)."""
    words = words_of(query.text.raw)
    if not words or len(words) > MAX_NAME_WORDS:
        return []
    typed = " ".join(words)
    return cache.cached(
        f"names:{hashlib.blake2b(typed.encode(), digest_size=16).hexdigest()}",
        lambda: current_backend().similar_names(typed, NAME_CANDIDATES),
    )


def is_named(names: list[NameMatch]) -> sa.ColumnElement[bool]:
    """Whether a document is one of the names that look like the words (the first tier)."""
    if not names:
        return sa.false()
    return docs.c.therapist_id.in_([m.therapist_id for m in names])


def suggestion(query: SearchQuery, names: list[NameMatch]) -> str | None:
    """ "Did you mean John Wintertime?" when a typed word is in no close name."""
    if not names or names[0].similarity < SUGGESTION:
        return None
    best = names[0].name
    if set(words_of(query.text.raw)) <= set(words_of(best)):
        return None
    return best
