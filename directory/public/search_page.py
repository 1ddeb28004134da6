"""The search page: /therapists, the whole search kept in the URL."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from directory.core.errors import BadParameter
from directory.photos.queries import headshots_by_slug
from directory.public import page_cache
from directory.search import links, sidebar
from directory.search.engine import search
from directory.search.params import SEARCH_PARAMETERS, UnknownPlace, parse_search, term_index
from directory.search.query import MIN_RATINGS, RADII_KM, SORTS, Term
from directory.search.results import SearchResults
from directory.taxonomy.models import Language

bp = Blueprint("search", __name__)

PAGE_PARAMETERS = {parameter.name: parameter.default for parameter in SEARCH_PARAMETERS}


def _render(results: SearchResults | None, **context):
    args = request.args
    facets = (results.choice_facets or results.facets) if results else None
    return render_template(
        "search/results.html",
        args=args,
        results=results,
        languages=sidebar.term_options(_languages(), args, "language"),
        specialties=sidebar.facet_options(facets.specialties, args, "specialty") if facets else [],
        conditions=sidebar.facet_options(facets.conditions, args, "condition") if facets else [],
        cities=sidebar.facet_options(facets.cities, args, "city") if facets else [],
        chips=sidebar.chips(results.query, args) if results else [],
        clear_all_url=sidebar.clear_all_url(args),
        sorts=SORTS,
        radii=RADII_KM,
        min_ratings=MIN_RATINGS,
        links=links,
        headshots=headshots_by_slug([hit.slug for hit in results.hits]) if results else {},
        **context,
    )


def _languages() -> list[Term]:
    return sorted(set(term_index(Language).values()), key=lambda t: t.name)


@bp.get("/therapists")
def results():
    try:
        return page_cache.serve(page_cache.SEARCH_SUBJECT, _results_page, PAGE_PARAMETERS)
    except UnknownPlace as error:
        # A misspelt place is not a bad request: the page offers the cities spelt like it,
        # each with what the search finds there.
        offers, without = links.place_suggestions(
            error.suggestions, error.parameter, error.typed, request.args
        )
        return _render(
            results=None, error=error, relaxations=[], place_offers=offers, without_place=without
        )
    except BadParameter as error:
        # The form stays, with the message beside the field that caused it.
        return _render(results=None, error=error, relaxations=[]), 400


def _results_page() -> str:
    query = parse_search(request.args)
    found = search(query, disjunctive=True)
    relaxations = [] if found.total else links.relaxations(query, request.args)
    return _render(results=found, error=None, relaxations=relaxations)
