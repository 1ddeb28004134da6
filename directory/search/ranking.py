"""The orders results are read in, and the tiers of "best match" (see search.engine)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from directory.search.backends import NameMatch
from directory.search.facets import Summary
from directory.search.filters import key_field_tier
from directory.search.models import SearchDocument
from directory.search.names import is_named
from directory.search.query import SearchQuery

docs = SearchDocument.__table__


@dataclass(frozen=True)
class Order:
    """An ORDER BY, named.  A walkable order is one an index can walk from the top (the
    score and the review count are indexed), so a window over its first rows is cheap."""

    name: str
    clauses: tuple = field(compare=False)
    walkable: bool = False


BY_SCORE = Order(
    "score",
    (docs.c.rating_score.desc(), docs.c.rating_count.desc(), docs.c.therapist_id),
    walkable=True,
)
BY_REVIEWS = Order(
    "reviews",
    (docs.c.rating_count.desc(), docs.c.rating_score.desc(), docs.c.therapist_id),
    walkable=True,
)
WALKABLE = {order.name: order for order in (BY_SCORE, BY_REVIEWS)}


@dataclass(frozen=True)
class Tier:
    conditions: list
    order: Order
    size: int | None  # None: not counted


def order_of(query: SearchQuery, distance) -> Order:
    """The order of a search that is not read in tiers (or of its only tier)."""
    sort = query.effective_sort
    if sort == "reviews":
        return BY_REVIEWS
    if sort == "distance":
        return Order("distance", (distance, *BY_SCORE.clauses))
    return BY_SCORE


def tiers(query: SearchQuery, names: list[NameMatch], summary: Summary, distance) -> list[Tier]:
    """The ordered parts the results are read from, page by page."""
    if query.effective_sort != "relevance" or query.text.is_empty:
        return [Tier([], order_of(query, distance), summary.total)]
    parts = []
    if names:
        closest = sa.case(
            {m.therapist_id: m.similarity for m in names},
            value=docs.c.therapist_id,
            else_=0.0,
        )
        by_closeness = Order("closest name", (closest.desc(), *BY_SCORE.clauses))
        parts.append(Tier([is_named(names)], by_closeness, summary.name_matches))
    key_fields = key_field_tier(query, names)
    parts.append(Tier(key_fields, BY_SCORE, summary.key_field_matches))
    rest = [sa.not_(sa.and_(*key_fields))]
    if names:
        rest.append(sa.not_(is_named(names)))
    rest_size = summary.total - summary.name_matches - summary.key_field_matches
    parts.append(Tier(rest, BY_SCORE, rest_size))
    return parts
