"""Running a search: filters, facet counts, ordering and paging, written once for both
backends (directory.search.backends supplies what differs).

"Best match" orders results in tiers, each best-rated first (the Bayesian score):
  1. names that look like what was typed (trigram similarity, closest first);
  2. every word found in the name, specialties, conditions, city or clinic;
  3. every word found somewhere, including the bio and the sample of reviews.
So a client typing "deep tissue upper back pain" sees the best-rated therapists who
offer deep tissue and treat upper back pain before those whose reviews mention it, and
each tier is one ordered, limited query that an index on the score can answer without
ranking the whole match set.  Totals and facet counts over the whole match set are
cached per index generation: the same filters repeat far more often than the index
changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter

from directory.core.geo import bounding_box, haversine_km
from directory.extensions import db
from directory.places.models import City
from directory.search import cache, place_tokens
from directory.search.backends import NameMatch, current_backend
from directory.search.backends.base import PlaceTokens
from directory.search.models import SearchDocument
from directory.search.params import place, term_index
from directory.search.query import Place, SearchQuery, Term
from directory.search.text import STOP_WORDS, words_of
from directory.search.trigrams import SUGGESTION
from directory.taxonomy.models import Condition, Language, Modality

docs = SearchDocument.__table__
CITY_FACETS = 12
# Names are short: only a short query can be (part of) a misspelt name.
MAX_NAME_WORDS = 4
NAME_CANDIDATES = 20


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


def _has(column, key) -> sa.ColumnElement[bool]:
    return column.like(f"% {key} %")


def _filters(query: SearchQuery, names: list[NameMatch]) -> list[sa.ColumnElement[bool]]:
    backend = current_backend()
    box = (
        bounding_box(query.near.latitude, query.near.longitude, query.radius_km)
        if query.near
        else None
    )
    conditions: list[sa.ColumnElement[bool]] = []
    if not query.text.is_empty:
        places = _place_tokens(query, box)
        matched, _in_key_fields = backend.text_match(docs, query.text, places)
        if names:
            matched = sa.or_(matched, _is_named(names))
        conditions.append(matched)
    conditions += [_has(docs.c.modality_ids, t.key) for t in query.modalities]
    conditions += [_has(docs.c.condition_ids, t.key) for t in query.conditions]
    conditions += [_has(docs.c.language_codes, t.key) for t in query.languages]
    if query.cities:
        conditions.append(docs.c.city_id.in_([c.id for c in query.cities]))
    if box:
        south, north, west, east = box
        conditions += [
            docs.c.latitude.between(south, north),
            docs.c.longitude.between(west, east),
            _distance(query) <= query.radius_km,
        ]
    if query.min_rating:
        conditions.append(docs.c.rating_mean >= query.min_rating)
    if query.verified:
        conditions.append(docs.c.accreditation_verified.is_(True))
    if query.accepting:
        conditions.append(docs.c.accepting_new_clients.is_(True))
    return conditions


def _distance(query: SearchQuery) -> sa.ColumnElement[float]:
    """The great-circle distance from the search's place to each document's clinic: the
    formula of core.geo, an SQL function on both backends (migration 0008 on PostgreSQL,
    registered per connection on SQLite)."""
    return sa.func.haversine_km(
        query.near.latitude, query.near.longitude, docs.c.latitude, docs.c.longitude
    )


def _place_tokens(query: SearchQuery, box: tuple | None) -> PlaceTokens:
    """The search's place filters as tokens (search.place_tokens), for the backend's index:
    its cities, and the cells of `box` (the bounding box of its distance, if any)."""
    groups = []
    if query.cities:
        groups.append(tuple(place_tokens.city_token(c.id) for c in query.cities))
    if box:
        cells = place_tokens.cells_covering(*box)
        if cells:
            groups.append(tuple(cells))
    return tuple(groups)


def _similar_names(query: SearchQuery) -> list[NameMatch]:
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


def _count(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class Summary:
    total: int
    facets: Facets
    # Matches in the first and second tiers of "best match" (see the module docstring).
    name_matches: int = 0
    key_field_matches: int = 0


def _summary(query: SearchQuery, names: list[NameMatch], terms: dict) -> Summary:
    """The total and every facet count over the whole match set, in one statement: the
    matches are read once (a materialized CTE) and every count is taken from them, where
    a statement per count read a large match set four times over."""
    backend = current_backend()
    key_fields = _key_field_tier(query, names)
    matching = (
        sa.select(
            docs.c.modality_ids,
            docs.c.condition_ids,
            docs.c.city_id,
            docs.c.accreditation_verified,
            docs.c.accepting_new_clients,
            (sa.and_(*key_fields) if key_fields else sa.false()).label("in_key_fields"),
            _is_named(names).label("in_names"),
        )
        .where(*_filters(query, names))
        .cte("matching")
        .prefix_with("MATERIALIZED")  # PostgreSQL 12+ and SQLite 3.35+
    )
    m = matching.c
    top_cities = (
        sa.select(sa.cast(m.city_id, sa.String).label("key"), sa.func.count().label("n"))
        .group_by(m.city_id)
        .order_by(sa.text("n DESC"), m.city_id)
        .limit(CITY_FACETS)
    )
    parts = [
        ("total", sa.select(sa.literal("").label("key"), sa.func.count().label("n"))),
        ("verified", _total_of(m.accreditation_verified.is_(True))),
        ("accepting", _total_of(m.accepting_new_clients.is_(True))),
        ("key_fields", _total_of(m.in_key_fields)),
        ("names", _total_of(m.in_names)),
        ("specialty", backend.id_counts(m.modality_ids)),
        ("condition", backend.id_counts(m.condition_ids)),
        ("city", top_cities),
    ]
    counts: dict[str, dict[str, int]] = {kind: {} for kind, _part in parts}
    members = []
    for kind, part in parts:
        counted = part.select_from(matching).subquery()
        members.append(sa.select(sa.literal(kind).label("kind"), counted.c.key, counted.c.n))
    for kind, key, n in db.session.execute(sa.union_all(*members)):
        counts[kind][str(key)] = n
    total = counts["total"][""]

    def counted(index: dict[str, Term], found: dict[str, int]) -> list[FacetCount]:
        unique = sorted(set(index.values()), key=lambda t: t.name)
        return [FacetCount(term, found.get(str(term.key), 0)) for term in unique]

    by_city = {int(key): n for key, n in counts["city"].items()}
    cities = db.session.scalars(sa.select(City).where(City.id.in_(by_city))) if by_city else []
    facets = Facets(
        specialties=counted(terms["specialties"], counts["specialty"]),
        conditions=counted(terms["conditions"], counts["condition"]),
        cities=[
            FacetCount(place(city), by_city[city.id])
            for city in sorted(cities, key=lambda c: (-by_city[c.id], c.name))
        ],
        verified=counts["verified"][""],
        accepting=counts["accepting"][""],
    )
    return Summary(total, facets, counts["names"][""], counts["key_fields"][""])


def _is_named(names: list[NameMatch]) -> sa.ColumnElement[bool]:
    """Whether a document is one of the names that look like the words (the first tier)."""
    if not names:
        return sa.false()
    return docs.c.therapist_id.in_([m.therapist_id for m in names])


def _total_of(condition) -> sa.Select:
    return sa.select(sa.literal("").label("key"), _count(condition).label("n"))


def _key_field_tier(query: SearchQuery, names: list[NameMatch]) -> list:
    """The extra conditions of the second tier (empty when there are no words)."""
    if query.text.is_empty:
        return []
    _anywhere, in_key_fields = current_backend().text_match(docs, query.text)
    tier = [in_key_fields]
    if names:
        tier.append(sa.not_(_is_named(names)))
    return tier


BY_SCORE = [docs.c.rating_score.desc(), docs.c.rating_count.desc(), docs.c.therapist_id]
BY_REVIEWS = [docs.c.rating_count.desc(), docs.c.rating_score.desc(), docs.c.therapist_id]
# Orders an index can walk from the top (score and review count are indexed).
WALKABLE = (BY_SCORE, BY_REVIEWS)
# A tier holding at least this share of all documents is read from a window at the top of
# its order rather than through the text index (see _window_size).
DENSE_SHARE = 0.02
WINDOW_HEADROOM = 3
# What a result card needs: the text columns stay on disk.
CARD_COLUMNS = [
    docs.c[name]
    for name in (
        "therapist_id",
        "slug",
        "name",
        "headline",
        "clinic_slug",
        "clinic_name",
        "city_name",
        "latitude",
        "longitude",
        "modality_ids",
        "condition_ids",
        "language_codes",
        "accepting_new_clients",
        "accreditation_verified",
        "rating_count",
        "rating_mean",
        "rating_score",
    )
]


def _order(query: SearchQuery, distance) -> list:
    sort = query.effective_sort
    if sort == "reviews":
        return BY_REVIEWS
    if sort == "distance":
        return [distance, *BY_SCORE]
    return BY_SCORE


@dataclass(frozen=True)
class Tier:
    conditions: list
    order: list
    size: int | None  # None: not counted


def _tiers(query: SearchQuery, names: list[NameMatch], summary: Summary, distance) -> list[Tier]:
    """The ordered parts the results are read from, page by page."""
    if query.effective_sort != "relevance" or query.text.is_empty:
        return [Tier([], _order(query, distance), summary.total)]
    tiers = []
    if names:
        closest = sa.case(
            {m.therapist_id: m.similarity for m in names},
            value=docs.c.therapist_id,
            else_=0.0,
        )
        tiers.append(Tier([_is_named(names)], [closest.desc(), *BY_SCORE], summary.name_matches))
    key_fields = _key_field_tier(query, names)
    tiers.append(Tier(key_fields, BY_SCORE, summary.key_field_matches))
    rest = [sa.not_(sa.and_(*key_fields))]
    if names:
        rest.append(sa.not_(_is_named(names)))
    rest_size = summary.total - summary.name_matches - summary.key_field_matches
    tiers.append(Tier(rest, BY_SCORE, rest_size))
    return tiers


def _page_rows(query: SearchQuery, where: list, tiers: list[Tier], distance) -> list:
    """One page across the tiers: skip whole tiers before the page, read into the next."""
    rows: list = []
    offset, wanted = query.offset, query.per_page
    for tier in tiers:
        if tier.size is not None and offset >= tier.size:
            offset -= tier.size
            continue
        rows += _tier_rows(where, tier, offset, wanted - len(rows), distance)
        offset = 0
        if len(rows) >= wanted:
            break
    return rows


def _tier_rows(where: list, tier: Tier, offset: int, limit: int, distance) -> list:
    conditions = [*where, *tier.conditions]
    window = _window_size(tier, offset + limit)
    if window is not None:
        rows = db.session.execute(
            _windowed(conditions, tier.order, window, offset, limit, distance)
        ).all()
        if len(rows) == limit:
            return rows
    return db.session.execute(
        sa.select(*CARD_COLUMNS, distance.label("distance"))
        .where(*conditions)
        .order_by(*tier.order)
        .offset(offset)
        .limit(limit)
    ).all()


def _window_size(tier: Tier, needed: int) -> int | None:
    """For a tier dense in matches, how many documents from the top of its order to read
    to find `needed` of them with room to spare; None to read the tier in full.

    Text indexes estimate how many documents hold several words as if the words were
    unrelated.  Words that come together ("posture strain from sitting", a condition's
    name) then match thousands where the planner expects dozens, and it reads every match
    to sort them (48 ms for 18,000 of 90,000 at the benchmark's size).  The tier's true
    size is known from the cached counts, so a dense tier is read from a window at the top
    of the score index instead (5 ms).  If the window holds `needed` matches they are
    exactly the first ones of the whole tier; if not, the caller reads the tier in full.
    """
    if tier.size is None or not any(tier.order is order for order in WALKABLE):
        return None
    documents = _document_count()
    if not documents or tier.size < documents * DENSE_SHARE:
        return None
    size = ceil(needed * documents / tier.size * WINDOW_HEADROOM)
    return size if size < documents else None


def _windowed(conditions: list, order: list, window: int, offset: int, limit: int, distance):
    """The page among the first `window` documents of `order`.  The window is a subquery
    with a LIMIT, which no planner flattens: the conditions can only filter its rows."""
    top, columns, ordered = _window_over(order)
    adapt = ClauseAdapter(top).traverse  # one per call: adapters keep state while cloning
    return (
        sa.select(*columns, adapt(distance).label("distance"))
        .where(*(adapt(condition) for condition in conditions))
        .order_by(*ordered)
        .offset(offset)
        .limit(limit)
        .params(window=window)
    )


_WINDOWS: dict[tuple[str, int], tuple] = {}


def _window_over(order: list) -> tuple:
    """(subquery, its card columns, `order` on it) of the window over `order`, built once
    per backend and order: its size is a parameter."""
    backend = current_backend()
    key = (backend.name, id(order))
    if key not in _WINDOWS:
        top = (
            sa.select(docs, *backend.vector_columns(docs))
            .order_by(*order)
            .limit(sa.bindparam("window", type_=sa.Integer))
            .subquery(docs.name)  # the same name: the backends' literal columns resolve
        )
        columns = [top.c[column.name] for column in CARD_COLUMNS]
        _WINDOWS[key] = (top, columns, [ClauseAdapter(top).traverse(part) for part in order])
    return _WINDOWS[key]


def _document_count() -> int:
    """How many documents the index holds (cached per generation)."""
    return cache.cached(
        "documents", lambda: db.session.scalar(sa.select(sa.func.count()).select_from(docs))
    )


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
    typed = {_stem(word) for word in query.text.terms}
    if not typed:
        return frozenset()
    return frozenset(t for t in terms if (needed := _stems_of(t.name)) and needed <= typed)


def _wanted(terms: list[Term], chosen: tuple[Term, ...], named: frozenset[Term]) -> list[Term]:
    """The terms of a hit the search asked for: chosen as filters, or named by the words."""
    return [term for term in terms if term in chosen or term in named]


def _suggestion(query: SearchQuery, names: list[NameMatch]) -> str | None:
    """ "Did you mean John Wintertime?" when a typed word is in no close name."""
    if not names or names[0].similarity < SUGGESTION:
        return None
    best = names[0].name
    if set(words_of(query.text.raw)) <= set(words_of(best)):
        return None
    return best


def _all_terms() -> dict[str, dict[str, Term]]:
    return {
        "specialties": _by_key(Modality),
        "conditions": _by_key(Condition),
        "languages": _by_key(Language),
    }


def _cached_summary(query: SearchQuery, names: list[NameMatch], terms) -> Summary:
    return cache.cached(f"summary:{query.filter_key()}", lambda: _summary(query, names, terms))


def count(query: SearchQuery) -> int:
    """How many therapists the search finds (cached with the facets)."""
    names = _similar_names(query) if query.text.raw else []
    return _cached_summary(query, names, _all_terms()).total


def search(query: SearchQuery) -> SearchResults:
    """One page of results, the total, the facet counts and a spelling suggestion."""
    names = _similar_names(query) if query.text.raw else []
    where = _filters(query, names)
    terms = _all_terms()
    summary = _cached_summary(query, names, terms)
    distance = _distance(query) if query.near else sa.null()
    rows = _page_rows(query, where, _tiers(query, names, summary, distance), distance)
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
    return SearchResults(query, summary.total, hits, summary.facets, _suggestion(query, names))
