"""The total and the facet counts of a search, over its whole match set, in one statement
(and cached per index generation: the same filters repeat far more often than the index
changes)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa

from directory.extensions import db
from directory.search import cache
from directory.search.backends import NameMatch, current_backend
from directory.search.filters import key_field_tier, matching
from directory.search.models import SearchDocument
from directory.search.names import is_named
from directory.search.params import places_by_id
from directory.search.query import SearchQuery, Term
from directory.search.results import FacetCount, Facets, TermIndexes

docs = SearchDocument.__table__
CITY_FACETS = 12


@dataclass(frozen=True)
class Summary:
    total: int
    facets: Facets
    # Matches in the first and second tiers of "best match" (see search.engine).
    name_matches: int = 0
    key_field_matches: int = 0


def cached_summary(query: SearchQuery, names: list[NameMatch], terms: TermIndexes) -> Summary:
    """The search's Summary, from the cache of the index's generation when it is there."""
    return cache.cached(f"summary:{query.filter_key()}", lambda: _summary(query, names, terms))


def disjunctive_facets(
    query: SearchQuery, names: list[NameMatch], terms: TermIndexes, summary: Summary
) -> Facets:
    """The facets as the page offers them: each counted as if none of its own options were
    chosen (disjunctive faceting, as in Algolia or Meilisearch), so choosing a kind of
    massage never hides the other kinds.  A facet with nothing chosen is the search's own
    count; each facet with a choice takes the (cached) summary of the search without it,
    which is also what its chips' "remove" links will find."""
    facets = summary.facets
    if query.modalities:
        without = cached_summary(replace(query, modalities=()), names, terms)
        facets = replace(facets, specialties=without.facets.specialties)
    if query.conditions:
        without = cached_summary(replace(query, conditions=()), names, terms)
        facets = replace(facets, conditions=without.facets.conditions)
    if query.cities:
        without = cached_summary(replace(query, cities=()), names, terms)
        facets = replace(facets, cities=without.facets.cities)
    return facets


def _summary(query: SearchQuery, names: list[NameMatch], terms: TermIndexes) -> Summary:
    """The total and every facet count over the whole match set, in one statement: the
    matches are read once (a materialized CTE) and every count is taken from them, where
    a statement per count read a large match set four times over."""
    backend = current_backend()
    key_fields = key_field_tier(query, names)
    matches = (
        sa.select(
            docs.c.modality_ids,
            docs.c.condition_ids,
            docs.c.city_id,
            docs.c.accreditation_verified,
            docs.c.accepting_new_clients,
            (sa.and_(*key_fields) if key_fields else sa.false()).label("in_key_fields"),
            is_named(names).label("in_names"),
        )
        .where(*matching(query, names))
        .cte("matching")
        .prefix_with("MATERIALIZED")  # PostgreSQL 12+ and SQLite 3.35+
    )
    m = matches.c
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
        counted = part.select_from(matches).subquery()
        members.append(sa.select(sa.literal(kind).label("kind"), counted.c.key, counted.c.n))
    for kind, key, n in db.session.execute(sa.union_all(*members)):
        counts[kind][str(key)] = n
    total = counts["total"][""]

    def counted(index: dict[str, Term], found: dict[str, int]) -> list[FacetCount]:
        unique = sorted(set(index.values()), key=lambda t: t.name)
        return [FacetCount(term, found.get(str(term.key), 0)) for term in unique]

    by_city = {int(key): n for key, n in counts["city"].items()}
    cities = places_by_id(set(by_city)).values()
    facets = Facets(
        specialties=counted(terms["specialties"], counts["specialty"]),
        conditions=counted(terms["conditions"], counts["condition"]),
        cities=[
            FacetCount(city, by_city[city.id])
            for city in sorted(cities, key=lambda c: (-by_city[c.id], c.name))
        ],
        verified=counts["verified"][""],
        accepting=counts["accepting"][""],
    )
    return Summary(total, facets, counts["names"][""], counts["key_fields"][""])


def _count(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _total_of(condition) -> sa.Select:
    return sa.select(sa.literal("").label("key"), _count(condition).label("n"))
