"""Links between searches: the same search with one thing changed, and what to relax.

The query string is the search, so every link keeps it and changes one parameter; a
result page can be bookmarked or shared and shows the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from directory.core.errors import BadParameter
from directory.search.engine import count
from directory.search.nearest import nearest_match
from directory.search.params import PARAMETERS, parse_search
from directory.search.query import RADII_KM, SearchQuery
from directory.search.text import words_of

# Words alone that find no one are offered with each word left out, up to this many words.
MAX_WORDS_TO_DROP = 4


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
    distance_km: float | None = None  # how far away the offer looks (the nearest city)


def _place_offer(query: SearchQuery) -> tuple[str, dict, float | None] | None:
    """Widen the radius to the nearest match, or, beyond the widest radius, search near
    the city of the nearest match instead."""
    nearest = nearest_match(query)
    if nearest is None:
        return None
    wider = [r for r in RADII_KM if r >= nearest.distance_km and r > query.radius_km]
    if wider:
        return (f"Widen the distance to {wider[0]} km", {"radius_km": wider[0]}, None)
    label = f"Nearest city with therapists: {nearest.city_name}"
    return (label, {"near": nearest.city_label}, nearest.distance_km)


def _candidates(query: SearchQuery, args: MultiDict) -> list[tuple[str, dict]]:
    options: list[tuple[str, dict]] = []
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
    typed = words_of(query.text.raw)
    if not query.has_filters and 1 < len(typed) <= MAX_WORDS_TO_DROP:
        # Words alone found no one: each word left out, as "try fewer words" would.
        for word in dict.fromkeys(typed):
            fewer = " ".join(w for w in typed if w != word)
            options.append((f"“{fewer}”, without “{word}”", {"q": fewer}))
    return options


def relaxations(query: SearchQuery, args: MultiDict, limit: int = 4) -> list[Relaxation]:
    """For an empty result: the one-step changes that would find someone, and how many.
    A place comes first (the radius that reaches the nearest match, or the nearest city
    that has one); then dropping each filter, the one that finds most first."""
    found = []
    place = _place_offer(query)
    if place is not None:
        label, changes, km = place
        total = count(parse_search(changed(args, **changes)))
        if total:
            found.append(Relaxation(label, search_url(args, **changes), total, km))
    dropped = []
    for label, changes in _candidates(query, args):
        total = count(parse_search(changed(args, **changes)))
        if total:
            dropped.append(Relaxation(label, search_url(args, **changes), total))
    return (found + sorted(dropped, key=lambda r: -r.total))[:limit]


@dataclass(frozen=True)
class PlaceSuggestion:
    label: str  # "Seattle, US"
    url: str
    total: int | None  # None: the rest of the search cannot run either


def place_suggestions(labels: tuple[str, ...], parameter: str, typed: str, args: MultiDict):
    """ "Did you mean" for a place we do not know: each city spelt like it, as the same
    search there, with how many it finds; then the search without the place."""
    offers = []
    for label in labels:
        kept = [label if v.strip()[:60] == typed else v for v in args.getlist(parameter)]
        offers.append(_suggestion(label, args, {parameter: kept}))
    remaining = [v for v in args.getlist(parameter) if v.strip()[:60] != typed]
    return offers, _suggestion("", args, {parameter: remaining})


def _suggestion(label: str, args: MultiDict, changes: dict) -> PlaceSuggestion:
    try:
        total = count(parse_search(changed(args, **changes)))
    except BadParameter:
        total = None
    return PlaceSuggestion(label, search_url(args, **changes), total)


def chosen(args: MultiDict, name: str) -> set[str]:
    """The values given for a parameter, compared case-insensitively."""
    return {v.strip().casefold() for v in args.getlist(name) if v.strip()}
