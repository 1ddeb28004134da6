"""Trigram similarity of names, computed exactly as PostgreSQL's pg_trgm computes it.

pg_trgm lower-cases a string, splits it into words of letters and digits, pads each word
with two spaces in front and one behind, and takes the set of three-character windows;
similarity is |shared| / |all|.  SQLite has no pg_trgm, so its backend finds candidates
through an FTS5 trigram table and scores them here; both backends then agree.
"""

from __future__ import annotations

from directory.search.text import words_of

# A name at least this similar to what was typed counts as a match for it.
NAME_MATCH = 0.4
# ... and at least this similar earns a "did you mean".
SUGGESTION = 0.5


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in words_of(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
