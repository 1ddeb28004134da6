"""The search page's filters as the sidebar shows them: each option with its count and
whether the search chose it, worked out once per page rather than once per checkbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from directory.search.links import chosen
from directory.search.query import Term
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
