"""Where a search narrowed to a place would find someone if the place were further away:
the nearest match, for the offers of an empty result (search.links)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa

from directory.extensions import db
from directory.places.models import City
from directory.places.queries import city_label
from directory.search.filters import distance, matching
from directory.search.models import SearchDocument
from directory.search.names import similar_names
from directory.search.query import SearchQuery

docs = SearchDocument.__table__


@dataclass(frozen=True)
class NearestMatch:
    city_label: str  # "Ottawa, CA": what find_city reads it by
    city_name: str
    distance_km: float


def nearest_match(query: SearchQuery) -> NearestMatch | None:
    """The therapist nearest to the search's place among those it would find at any
    distance (None when it has no place, or finds no one anywhere).  Two statements: the
    nearest document, then its city.  Asked only when a search finds no one."""
    if query.near is None:
        return None
    anywhere = replace(query, near=None)
    names = similar_names(query) if query.text.raw else []
    to_place = distance(query)
    row = db.session.execute(
        sa.select(docs.c.city_id, to_place.label("km"))
        .where(*matching(anywhere, names))
        .order_by(to_place, docs.c.therapist_id)
        .limit(1)
    ).first()
    if row is None:
        return None
    city = db.session.get(City, row.city_id)
    return NearestMatch(city_label(city), city.name, row.km)
