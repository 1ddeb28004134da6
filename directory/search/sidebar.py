"""The search page's filters as the sidebar shows them: each option with its count and
whether the search chose it, worked out once per page rather than once per checkbox; and
the chosen filters as chips, each with a link that removes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from directory.search.links import chosen, search_url
from directory.search.params import find_place
from directory.search.query import SearchQuery, Term
from directory.search.results import FacetCount


@dataclass(frozen=True)
class FilterOption:
    value: str  # the slug the form sends
    label: str
    count: int
    chosen: bool


def _is_among(values: set[str], slug: str, label: str) -> bool:
    # The parameters accept a slug or a name, in any case (links.chosen folds them).
    return slug.casefold() in values or label.casefold() in values


def facet_options(counts: Iterable[FacetCount], args: MultiDict, name: str) -> list[FilterOption]:
    """The options worth a checkbox: those with matches, and those chosen (to untick)."""
    values = chosen(args, name)
    options = []
    for item in counts:
        is_chosen = _is_among(values, item.term.slug, item.term.name)
        if item.count or is_chosen:
            options.append(FilterOption(item.term.slug, item.term.name, item.count, is_chosen))
    return options


def term_options(terms: Iterable[Term], args: MultiDict, name: str) -> list[FilterOption]:
    """Every term of a select list (no counts), marking the chosen ones."""
    values = chosen(args, name)
    return [FilterOption(t.slug, t.name, 0, _is_among(values, t.slug, t.name)) for t in terms]


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str  # the same search without this filter


# Every parameter a chip stands for: "clear all" removes them and keeps the words and sort.
FILTER_PARAMETERS = (
    "specialty",
    "condition",
    "language",
    "city",
    "near",
    "radius_km",
    "min_rating",
    "verified",
    "accepting",
)


def _without(args: MultiDict, name: str, term: Term) -> list[str]:
    return [
        v for v in args.getlist(name) if not _is_among({v.strip().casefold()}, term.slug, term.name)
    ]


def chips(query: SearchQuery, args: MultiDict) -> list[Chip]:
    """The filters the search chose, in the order of the sidebar."""
    found = []
    for name, terms in (
        ("specialty", query.modalities),
        ("condition", query.conditions),
        ("language", query.languages),
    ):
        found += [Chip(t.name, search_url(args, **{name: _without(args, name, t)})) for t in terms]
    for city in query.cities:
        # A city may be named several ways ("toronto", "Toronto, CA"): drop every one.
        kept = [
            v for v in args.getlist("city") if v.strip() and find_place(v.strip()[:120]) != city
        ]
        found.append(Chip(city.name, search_url(args, city=kept)))
    if query.near:
        label = f"Within {query.radius_km} km of {query.near.name}"
        found.append(Chip(label, search_url(args, near=None, radius_km=None)))
    if query.min_rating:
        found.append(Chip(f"{query.min_rating:g} ★ and up", search_url(args, min_rating=None)))
    if query.verified:
        found.append(Chip("Verified credentials", search_url(args, verified=None)))
    if query.accepting:
        found.append(Chip("Taking new clients", search_url(args, accepting=None)))
    return found


def clear_all_url(args: MultiDict) -> str:
    """The same words and sort without any filter."""
    return search_url(args, **dict.fromkeys(FILTER_PARAMETERS))
