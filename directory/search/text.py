"""What a person typed into the search box, made safe for both full-text engines.

Supported, as on most search boxes: plain words (all must match), "quoted phrases",
-excluded words and -"excluded phrases".  Everything else (`*`, `:`, `&`, `|`, `!`,
`NEAR(`, unbalanced quotes) is punctuation: it separates words and never reaches a query
parser as syntax.  Common English words are dropped, as PostgreSQL's english
configuration drops them, so both backends look for the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_LENGTH = 200
MAX_TERMS = 12

# PostgreSQL's english stop words (the Snowball list), so SQLite ignores the same words.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)

# A dash right before the opening quote (at the start or after a space) excludes the phrase.
_PHRASE = re.compile(r'(?:(?:(?<=\s)|^)(-))?"([^"]*)"')
_WORD = re.compile(r"(?:(?<=\s)|^)-(?=[^\W_])|[^\W_]+")


def words_of(text: str) -> list[str]:
    """The lower-case words of `text`: runs of letters and digits."""
    return re.findall(r"[^\W_]+", text.lower())


@dataclass(frozen=True)
class Expansion:
    """Typed words that have synonyms (search.synonyms): all the words as typed, or all
    the words of any one alternative, each anywhere in the document.  Words rather than
    phrases: a phrase makes PostgreSQL recheck every candidate row's positions, and a
    client's "my back was sore" is as good as "sore back"."""

    typed: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]

    def websearch_parts(self) -> list[str]:
        """Each way to match, in websearch_to_tsquery syntax (to be OR-ed together)."""
        return [" ".join(way) for way in (self.typed, *self.alternatives)]

    def fts5(self) -> str:
        ways = (self.typed, *self.alternatives)
        return (
            "(" + " OR ".join("(" + " AND ".join(f'"{w}"' for w in way) + ")" for way in ways) + ")"
        )


@dataclass(frozen=True)
class TextQuery:
    raw: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    # Typed words that have synonyms: they are no longer among `words`.
    expansions: tuple[Expansion, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.phrases and not self.expansions

    @property
    def terms(self) -> tuple[str, ...]:
        """Every word typed that must match (or be replaced by a synonym), phrases included."""
        typed = tuple(word for expansion in self.expansions for word in expansion.typed)
        return self.words + tuple(word for phrase in self.phrases for word in phrase) + typed

    @property
    def meant(self) -> tuple[str, ...]:
        """The words typed and the words of their synonyms: what a result may be found by."""
        return self.terms + tuple(
            word for e in self.expansions for alternative in e.alternatives for word in alternative
        )

    def websearch(self) -> str:
        """The query without its expansions in PostgreSQL's websearch_to_tsquery syntax
        (words only: no syntax); empty when every typed word was expanded."""
        parts = [*self.words, *(f'"{" ".join(p)}"' for p in self.phrases)]
        parts += [f'-"{excluded}"' for excluded in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """The query in SQLite FTS5 syntax, every string quoted (an explicit AND: FTS5 does
        not join a parenthesised group to its neighbours by whitespace)."""
        required = " AND ".join(
            [f'"{" ".join(part)}"' for part in self._required()]
            + [expansion.fts5() for expansion in self.expansions]
        )
        excluded = " OR ".join(f'"{word}"' for word in self.excluded)
        return f"({required}) NOT ({excluded})" if excluded else required

    def _required(self) -> list[tuple[str, ...]]:
        return [(word,) for word in self.words] + list(self.phrases)


def parse(raw: str | None) -> TextQuery:
    text = " ".join((raw or "").split())[:MAX_TEXT_LENGTH]
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for match in _PHRASE.finditer(text):
        phrase = tuple(words_of(match.group(2)))
        if len(phrase) > 1 or (phrase and phrase[0] not in STOP_WORDS):
            if match.group(1):
                excluded.append(" ".join(phrase))
            else:
                phrases.append(phrase)
    rest = _PHRASE.sub(" ", text)
    words: list[str] = []
    negate = False
    for token in _WORD.findall(rest.lower()):
        if token == "-":
            negate = True
            continue
        target = excluded if negate else words
        negate = False
        if token not in STOP_WORDS and token not in target:
            target.append(token)
    phrases = phrases[:MAX_TERMS]
    words = words[: MAX_TERMS - len(phrases)]
    return TextQuery(
        raw=text,
        words=tuple(words),
        phrases=tuple(phrases),
        excluded=tuple(excluded[:3]) if words or phrases else (),
    )
