"""Synonyms: what else a client means by the words they type ("pregnant" finds prenatal
massage, "sore back" finds back pain, "RMT" a registered massage therapist).

The pairs are reference data in `search_synonyms`, reviewed and written by a migration.
A pair works both ways, and pairs that share a phrase make one group: pregnancy, pregnant
and prenatal all mean each other.  Before either backend sees a search, each run of typed
words that is a phrase of a group becomes "these words, or the words of any other phrase
of the group" (a text.Expansion), longest run first, so both backends answer the same.
Quoted phrases are meant exactly and are never expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import sqlalchemy as sa
from flask import current_app

from directory.extensions import db
from directory.search.models import SearchSynonym
from directory.search.text import Expansion, TextQuery, words_of

# A phrase, as its lower-case words.
Phrase = tuple[str, ...]
Groups = dict[Phrase, tuple[Phrase, ...]]


def groups_of(pairs: Iterable[tuple[str, str]]) -> Groups:
    """Every phrase with the other phrases of its group, in a stable order."""
    parent: dict[Phrase, Phrase] = {}

    def root(phrase: Phrase) -> Phrase:
        while parent.setdefault(phrase, phrase) != phrase:
            phrase = parent[phrase]
        return phrase

    for left, right in pairs:
        a, b = root(tuple(words_of(left))), root(tuple(words_of(right)))
        if a and b and a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[Phrase, list[Phrase]] = {}
    for phrase in list(parent):
        members.setdefault(root(phrase), []).append(phrase)
    return {
        phrase: tuple(sorted(other for other in group if other != phrase))
        for group in members.values()
        for phrase in group
    }


def synonym_groups() -> Groups:
    """The groups of the synonyms table (reference data: read once per process)."""
    loaded = current_app.extensions.get("search_synonyms")
    if loaded is None:
        rows = db.session.execute(sa.select(SearchSynonym.phrase, SearchSynonym.means))
        loaded = current_app.extensions["search_synonyms"] = groups_of(rows)
    return loaded


def expand(text: TextQuery, groups: Groups) -> TextQuery:
    """`text` with each run of its words that has synonyms made an Expansion."""
    if not groups or not text.words:
        return text
    longest = max(len(phrase) for phrase in groups)
    words, kept, expansions = text.words, [], []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            run = words[start : start + size]
            if run in groups:
                expansions.append(Expansion(run, groups[run]))
                start += size
                break
        else:
            kept.append(words[start])
            start += 1
    return replace(text, words=tuple(kept), expansions=tuple(expansions))
