"""What a search returns (SearchResults: a page of Hits, the total, the Facets), and how
a page's rows become hits that say why they were found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from directory.core.geo import haversine_km
from directory.search.backends import NameMatch
from directory.search.params import term_index
from directory.search.query import Place, SearchQuery, Term
from directory.search.text import STOP_WORDS, words_of
from directory.taxonomy.models import Condition, Language, Modality

# The term indexes of a search, by kind: {"specialties": {key: Term}, ...}.
TermIndexes = dict[str, dict[str, Term]]


@dataclass(frozen=True)
class FacetCount:
    term: Term | Place
    count: int


@dataclass(frozen=True)
class Facets:
    specialties: list[FacetCount] = field(default_factory=list)
    conditions: list[FacetCount] = field(default_factory=list)
    cities: list[FacetCount] = field(default_factory=list)
    verified: int = 0
    accepting: int = 0


@dataclass(frozen=True)
class Hit:
    slug: str
    name: str
    headline: str
    clinic_slug: str
    clinic_name: str
    city_name: str
    specialties: list[Term]
    conditions: list[Term]
    languages: list[Term]
    accepting_new_clients: bool
    accreditation_verified: bool
    rating_count: int
    rating_mean: float | None
    rating_score: float
    distance_km: float | None
    # Why it is here: the specialties and conditions the search asked for, by filter or
    # by word, and whether the name itself matched.
    matched_specialties: list[Term]
    matched_conditions: list[Term]
    name_matched: bool

    @property
    def other_specialties(self) -> list[Term]:
        """The specialties the search did not ask for (a card shows them after the rest)."""
        return [t for t in self.specialties if t not in self.matched_specialties]

    @property
    def other_conditions(self) -> list[Term]:
        return [t for t in self.conditions if t not in self.matched_conditions]


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: Facets
    did_you_mean: str | None = None
    # The facets counted disjunctively (facets.disjunctive_facets), when asked for.
    choice_facets: Facets | None = None


def term_indexes() -> TermIndexes:
    """Every specialty, condition and language by the key a document stores."""
    return {
        "specialties": _by_key(Modality),
        "conditions": _by_key(Condition),
        "languages": _by_key(Language),
    }


def hits_of(
    rows: list, query: SearchQuery, names: list[NameMatch], terms: TermIndexes
) -> list[Hit]:
    """The page's rows (card columns) as hits, each with what the search asked for of it."""
    name_ids = {m.therapist_id for m in names}
    named_specialties = _named_terms(query, terms["specialties"].values())
    named_conditions = _named_terms(query, terms["conditions"].values())
    hits = []
    for row in rows:
        specialties = _terms(row.modality_ids, terms["specialties"])
        conditions = _terms(row.condition_ids, terms["conditions"])
        hits.append(
            Hit(
                slug=row.slug,
                name=row.name,
                headline=row.headline,
                clinic_slug=row.clinic_slug,
                clinic_name=row.clinic_name,
                city_name=row.city_name,
                specialties=specialties,
                conditions=conditions,
                languages=_terms(row.language_codes, terms["languages"]),
                accepting_new_clients=row.accepting_new_clients,
                accreditation_verified=row.accreditation_verified,
                rating_count=row.rating_count,
                rating_mean=row.rating_mean,
                rating_score=row.rating_score,
                distance_km=(
                    haversine_km(
                        query.near.latitude, query.near.longitude, row.latitude, row.longitude
                    )
                    if query.near
                    else None
                ),
                matched_specialties=_wanted(specialties, query.modalities, named_specialties),
                matched_conditions=_wanted(conditions, query.conditions, named_conditions),
                name_matched=row.therapist_id in name_ids,
            )
        )
    return hits


def _terms(ids: str, index: dict) -> list[Term]:
    return sorted((index[key] for key in ids.split() if key in index), key=lambda t: t.name)


def _by_key(model) -> dict[str, Term]:
    return {str(term.key): term for term in term_index(model).values()}


def _stem(word: str) -> str:
    """A crude stem, enough to see "injury" in "Sports injuries"."""
    return word[:5] if len(word) >= 4 else word


@lru_cache(maxsize=4096)
def _stems_of(name: str) -> frozenset[str]:
    """The stems a term's name needs typed (terms are reference data: worked out once)."""
    return frozenset(_stem(w) for w in words_of(name) if w not in STOP_WORDS)


def _named_terms(query: SearchQuery, terms: Iterable[Term]) -> frozenset[Term]:
    """The terms the words name in full ("upper back pain" names Upper back pain, not
    Neck pain)."""
    typed = {_stem(word) for word in query.text.meant}
    if not typed:
        return frozenset()
    return frozenset(t for t in terms if (needed := _stems_of(t.name)) and needed <= typed)


def _wanted(terms: list[Term], chosen: tuple[Term, ...], named: frozenset[Term]) -> list[Term]:
    """The terms of a hit the search asked for: chosen as filters, or named by the words."""
    return [term for term in terms if term in chosen or term in named]
