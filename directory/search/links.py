"""Links between searches: the same search with one thing changed, and what to relax.

The query string is the search, so every link keeps it and changes one parameter; a
result page can be bookmarked or shared and shows the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from directory.search.engine import count
from directory.search.params import PARAMETERS, parse_search
from directory.search.query import RADII_KM, SearchQuery


def changed(args: MultiDict, **changes) -> MultiDict:
    """The search's parameters with some replaced (None or [] removes one).

    Unknown and empty parameters are dropped; any change but the page goes back to page 1.
    """
    kept = MultiDict([(k, v) for k, v in args.items(multi=True) if k in PARAMETERS and v.strip()])
    if "page" not in changes:
        kept.pop("page", None)
    for name, value in changes.items():
        kept.pop(name, None)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                kept.add(name, str(item))
    return kept


def search_url(args: MultiDict, **changes) -> str:
    """The search page for `args` with parameters replaced."""
    query = urlencode(list(changed(args, **changes).items(multi=True)))
    return url_for("search.results") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Relaxation:
    label: str
    url: str
    total: int


def _candidates(query: SearchQuery, args: MultiDict) -> list[tuple[str, dict]]:
    options: list[tuple[str, dict]] = []
    if query.near and query.radius_km < max(RADII_KM):
        wider = next(r for r in RADII_KM if r > query.radius_km)
        options.append((f"Widen the distance to {wider} km", {"radius_km": wider}))
    if query.min_rating:
        options.append(
            (f"Any rating, not only {query.min_rating:g} ★ and up", {"min_rating": None})
        )
    if query.verified:
        options.append(
            ("Include therapists whose credentials are not yet checked", {"verified": None})
        )
    if query.accepting:
        options.append(("Include therapists not taking new clients", {"accepting": None}))
    for name, terms in (
        ("specialty", query.modalities),
        ("condition", query.conditions),
        ("language", query.languages),
    ):
        for term in terms:
            remaining = [
                v
                for v in args.getlist(name)
                if v.strip().casefold() not in (term.slug.casefold(), term.name.casefold())
            ]
            options.append((f"Without “{term.name}”", {name: remaining}))
    if query.cities:
        options.append(("In any city", {"city": None}))
    if not query.text.is_empty and query.has_filters:
        options.append((f"Without the words “{query.text.raw}”", {"q": None}))
    return options


def relaxations(query: SearchQuery, args: MultiDict, limit: int = 4) -> list[Relaxation]:
    """For an empty result: the one-step changes that would find someone, and how many."""
    found = []
    for label, changes in _candidates(query, args):
        total = count(parse_search(changed(args, **changes)))
        if total:
            found.append(Relaxation(label, search_url(args, **changes), total))
    return sorted(found, key=lambda r: -r.total)[:limit]


def chosen(args: MultiDict, name: str) -> set[str]:
    """The values given for a parameter, compared case-insensitively."""
    return {v.strip().casefold() for v in args.getlist(name) if v.strip()}
