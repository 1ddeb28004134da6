"""Which documents a search matches: its words, its filters and its distance, as the
conditions of a WHERE clause (the same for the counts and for every page)."""

from __future__ import annotations

import sqlalchemy as sa

from directory.core.geo import bounding_box
from directory.search import place_tokens
from directory.search.backends import NameMatch, current_backend
from directory.search.backends.base import PlaceTokens
from directory.search.models import SearchDocument
from directory.search.names import is_named
from directory.search.query import SearchQuery

docs = SearchDocument.__table__


def _has(column, key) -> sa.ColumnElement[bool]:
    return column.like(f"% {key} %")


def matching(query: SearchQuery, names: list[NameMatch]) -> list[sa.ColumnElement[bool]]:
    """The conditions a document meets to be found: every word (or one of `names`), every
    filter, and within the distance."""
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
            matched = sa.or_(matched, is_named(names))
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
            distance(query) <= query.radius_km,
        ]
    if query.min_rating:
        conditions.append(docs.c.rating_mean >= query.min_rating)
    if query.verified:
        conditions.append(docs.c.accreditation_verified.is_(True))
    if query.accepting:
        conditions.append(docs.c.accepting_new_clients.is_(True))
    return conditions


def key_field_tier(query: SearchQuery, names: list[NameMatch]) -> list:
    """The extra conditions of the second tier of "best match" (empty when there are no
    words): every word in the key fields, and not already in the first tier."""
    if query.text.is_empty:
        return []
    _anywhere, in_key_fields = current_backend().text_match(docs, query.text)
    tier = [in_key_fields]
    if names:
        tier.append(sa.not_(is_named(names)))
    return tier


def distance(query: SearchQuery) -> sa.ColumnElement[float]:
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
