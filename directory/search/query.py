"""A search, as the page and the API both ask for it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from directory.search.text import TextQuery, words_of

SORTS = {
    "relevance": "Best match",
    "rating": "Highest rated",
    "reviews": "Most reviewed",
    "distance": "Nearest",
}
RADII_KM = (5, 10, 25, 50)
DEFAULT_RADIUS_KM = 25
MIN_RATINGS = (3.0, 3.5, 4.0, 4.5)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_PAGE = 500
MAX_VALUES = 10  # per repeatable filter


@dataclass(frozen=True)
class Term:
    """A modality, condition or language chosen as a filter."""

    key: int | str  # id, or language code
    slug: str
    name: str


@dataclass(frozen=True)
class Place:
    id: int
    slug: str
    name: str
    country_code: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country_code}"


@dataclass(frozen=True)
class SearchQuery:
    text: TextQuery = field(default_factory=TextQuery)
    modalities: tuple[Term, ...] = ()
    conditions: tuple[Term, ...] = ()
    languages: tuple[Term, ...] = ()
    cities: tuple[Place, ...] = ()
    near: Place | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    min_rating: float | None = None
    verified: bool = False
    accepting: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def effective_sort(self) -> str:
        """Distance needs a place to measure from; relevance needs words to rank by."""
        if self.sort == "distance" and self.near is None:
            return "relevance"
        return self.sort

    def filter_key(self) -> str:
        """A short stable key for what selects the results (not their order or page)."""
        parts = {
            "text": [self.text.words, self.text.phrases, self.text.excluded],
            "synonyms": [[e.typed, e.alternatives] for e in self.text.expansions],
            # Every word typed, stop words too: they decide which names look alike.
            "names": words_of(self.text.raw),
            "modalities": [t.key for t in self.modalities],
            "conditions": [t.key for t in self.conditions],
            "languages": [t.key for t in self.languages],
            "cities": [c.id for c in self.cities],
            "near": [self.near.id, self.radius_km] if self.near else None,
            "min_rating": self.min_rating,
            "verified": self.verified,
            "accepting": self.accepting,
        }
        encoded = json.dumps(parts, sort_keys=True).encode()
        return hashlib.blake2b(encoded, digest_size=16).hexdigest()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.modalities
            or self.conditions
            or self.languages
            or self.cities
            or self.near
            or self.min_rating
            or self.verified
            or self.accepting
        )
