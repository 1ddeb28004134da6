"""Reading one page of results across the tiers, and reading a dense tier from a window
at the top of its order instead of sorting all its matches."""

from __future__ import annotations

import functools
from math import ceil

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter

from directory.extensions import db
from directory.search import cache
from directory.search.backends import backend_for, current_backend
from directory.search.models import SearchDocument
from directory.search.query import SearchQuery
from directory.search.ranking import WALKABLE, Order, Tier

docs = SearchDocument.__table__
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


def page_rows(query: SearchQuery, where: list, tiers: list[Tier], distance) -> list:
    """One page across the tiers: skip whole tiers before the page, read into the next.
    The rows hold CARD_COLUMNS and the distance."""
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
        .order_by(*tier.order.clauses)
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
    if tier.size is None or not tier.order.walkable:
        return None
    documents = _document_count()
    if not documents or tier.size < documents * DENSE_SHARE:
        return None
    size = ceil(needed * documents / tier.size * WINDOW_HEADROOM)
    return size if size < documents else None


def _windowed(conditions: list, order: Order, window: int, offset: int, limit: int, distance):
    """The page among the first `window` documents of `order`.  The window is a subquery
    with a LIMIT, which no planner flattens: the conditions can only filter its rows."""
    top, columns, ordered = _window_over(current_backend().name, order.name)
    adapt = ClauseAdapter(top).traverse  # one per call: adapters keep state while cloning
    return (
        sa.select(*columns, adapt(distance).label("distance"))
        .where(*(adapt(condition) for condition in conditions))
        .order_by(*ordered)
        .offset(offset)
        .limit(limit)
        .params(window=window)
    )


@functools.cache
def _window_over(backend_name: str, order_name: str) -> tuple:
    """(subquery, its card columns, the order on it) of the window over a walkable order,
    built once per backend and order: its size is a parameter."""
    order = WALKABLE[order_name]
    top = (
        sa.select(docs, *backend_for(backend_name).vector_columns(docs))
        .order_by(*order.clauses)
        .limit(sa.bindparam("window", type_=sa.Integer))
        .subquery(docs.name)  # the same name: the backends' literal columns resolve
    )
    columns = [top.c[column.name] for column in CARD_COLUMNS]
    return top, columns, [ClauseAdapter(top).traverse(part) for part in order.clauses]


def _document_count() -> int:
    """How many documents the index holds (cached per generation)."""
    return cache.cached(
        "documents", lambda: db.session.scalar(sa.select(sa.func.count()).select_from(docs))
    )
