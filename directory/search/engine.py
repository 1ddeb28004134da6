"""Running a search: filters, facet counts, ordering and paging, written once for both
backends (directory.search.backends supplies what differs).

"Best match" orders results in tiers, each best-rated first (the Bayesian score):
  1. names that look like what was typed (trigram similarity, closest first);
  2. every word found in the name, specialties, conditions, city or clinic;
  3. every word found somewhere, including the bio and the sample of reviews.
So a client typing "deep tissue upper back pain" sees the best-rated therapists who
offer deep tissue and treat upper back pain before those whose reviews mention it, and
each tier is one ordered, limited query that an index on the score can answer without
ranking the whole match set.  Totals and facet counts over the whole match set are
cached per index generation: the same filters repeat far more often than the index
changes.

The parts, each in its own module: the names like the words (names), the WHERE of a
search (filters), its total and facet counts (facets), its orders and tiers (ranking),
reading a page across the tiers (paging), and what it returns (results).
"""

from __future__ import annotations

import sqlalchemy as sa

from directory.search.facets import cached_summary, disjunctive_facets
from directory.search.filters import distance, matching
from directory.search.names import similar_names, suggestion
from directory.search.paging import page_rows
from directory.search.query import SearchQuery
from directory.search.ranking import tiers
from directory.search.results import SearchResults, hits_of, term_indexes


def count(query: SearchQuery) -> int:
    """How many therapists the search finds (cached with the facets)."""
    names = similar_names(query) if query.text.raw else []
    return cached_summary(query, names, term_indexes()).total


def search(query: SearchQuery, *, disjunctive: bool = False) -> SearchResults:
    """One page of results, the total, the facet counts and a spelling suggestion.

    disjunctive: also count each facet as if none of its own options were chosen
    (facets.disjunctive_facets), as the page offers them: a statement per facet with a
    choice, cached like the rest.
    """
    names = similar_names(query) if query.text.raw else []
    where = matching(query, names)
    terms = term_indexes()
    summary = cached_summary(query, names, terms)
    to_place = distance(query) if query.near else sa.null()
    rows = page_rows(query, where, tiers(query, names, summary, to_place), to_place)
    hits = hits_of(rows, query, names, terms)
    choices = disjunctive_facets(query, names, terms, summary) if disjunctive else None
    return SearchResults(
        query, summary.total, hits, summary.facets, suggestion(query, names), choices
    )
