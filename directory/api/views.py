"""The public, read-only JSON API: therapists (search, profile, reviews) and clinics.

Every endpoint is declared with `routes.get` (directory.api.declarations), which is what
/api/v1/openapi.json is built from.  The API reads what anonymous visitors of the public
pages read, in the same public scope, and writes nothing (not even a profile view).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, request

from directory.api import arguments, openapi, queries, serializers
from directory.api.declarations import ApiRoutes, PathParameter
from directory.clinics.access import clinic_by_slug
from directory.core.pagination import MAX_PAGE
from directory.extensions import csrf, limiter
from directory.public import therapist_profile
from directory.reviews.ratings import clinic_totals, overview, platform_mean
from directory.search import engine
from directory.search.params import SEARCH_PARAMETERS, QueryParameter, parse_search
from directory.therapists.models import Therapist
from directory.therapists.queries import listed_therapist, published_therapists_of

API_PREFIX = "/api/v1"
RATE_LIMIT = "300 per minute"
CACHE_CONTROL = "public, max-age=60"
MAX_REVIEWS_PER_PAGE = 50
PREFLIGHT_MAX_AGE = "86400"
# Header names a preflight may ask for; anything else is not echoed back.
HEADER_NAMES = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
# GET only, no cookies read: there is no state a forged request could change.
csrf.exempt(bp)
limiter.limit(RATE_LIMIT)(bp)
routes = ApiRoutes(bp)

THERAPIST_SLUG = PathParameter("slug", "The therapist's slug, as in their profile's address.")
CLINIC_SLUG = PathParameter("slug", "The clinic's slug, as in its page's address.")
REVIEW_PARAMETERS = (
    QueryParameter(
        "sort",
        "newest (by publication, the default) or helpful (most found helpful first).",
        choices=tuple(therapist_profile.SORTS),
        default="newest",
    ),
    QueryParameter(
        "page",
        "Which page of reviews, from 1.",
        type="integer",
        minimum=1,
        maximum=MAX_PAGE,
        default=1,
    ),
    QueryParameter(
        "per_page",
        f"Reviews per page, at most {MAX_REVIEWS_PER_PAGE}; a larger value is refused (400),"
        " not silently reduced.",
        type="integer",
        minimum=1,
        maximum=MAX_REVIEWS_PER_PAGE,
        default=therapist_profile.REVIEWS_PER_PAGE,
    ),
)
SORT, PAGE, PER_PAGE = REVIEW_PARAMETERS


def plausible(slug: str) -> bool:
    """False for what can be no slug; PostgreSQL would refuse the NUL in a query."""
    return "\x00" not in slug


def listed_therapist_or_404(slug: str) -> Therapist:
    found = listed_therapist(slug) if plausible(slug) else None
    if found is None:
        abort(404, "No listed therapist has this slug.")
    return found


@routes.get(
    "/therapists",
    summary="Search therapists",
    description="The search page's search: words, filters, sort and paging, with facet counts"
    " over all results. Listed (published) therapists only.",
    response="TherapistList",
    query=SEARCH_PARAMETERS,
)
def list_therapists():
    results = engine.search(parse_search(request.args, strict=True))
    return serializers.therapist_list(results)


@routes.get(
    "/therapists/<slug>",
    summary="A therapist's profile",
    description="Public facts, specialties, conditions, languages, checked credentials,"
    " price, experience and the rating with its distribution and aspects.",
    response="TherapistProfile",
    path=(THERAPIST_SLUG,),
)
def therapist(slug: str):
    found = listed_therapist_or_404(slug)
    return serializers.therapist_profile(
        found,
        therapist_profile.rating_overview(found),
        therapist_profile.public_accreditations(found),
    )


@routes.get(
    "/therapists/<slug>/reviews",
    summary="A therapist's published reviews",
    description="Published reviews only, newest first unless sort=helpful, each with its"
    " verification label and the clinic's published reply.",
    response="ReviewList",
    query=REVIEW_PARAMETERS,
    path=(THERAPIST_SLUG,),
)
def therapist_reviews(slug: str):
    found = listed_therapist_or_404(slug)
    sort = arguments.choice(request.args, SORT)
    page = therapist_profile.published_reviews(
        found,
        sort=sort,
        number=arguments.whole_number(request.args, PAGE),
        per_page=arguments.whole_number(request.args, PER_PAGE),
    )
    return serializers.review_list(page, sort)


@routes.get(
    "/clinics/<slug>",
    summary="A clinic",
    description="The clinic's public card, its rating across its listed therapists, and"
    " those therapists.",
    response="Clinic",
    path=(CLINIC_SLUG,),
)
def clinic(slug: str):
    found = clinic_by_slug(slug) if plausible(slug) else None
    if found is None:
        abort(404, "No listed clinic has this slug.")
    therapists = published_therapists_of(found)
    return serializers.clinic_card(
        found,
        overview(clinic_totals(found.id)),
        therapists,
        queries.rating_totals(therapists),
        platform_mean(),
    )


@routes.get(
    "/openapi.json",
    summary="This API's description",
    description="The OpenAPI 3.1 document, generated from the endpoints' declarations.",
    response="OpenApiDocument",
)
def openapi_document():
    return openapi.document(routes.endpoints, API_PREFIX)


@bp.after_app_request
def open_to_every_origin(response: Response) -> Response:
    """CORS for anyone (no credentials are involved), caching for successful reads.

    An app-wide hook so that errors, and 404s outside any route, carry it too.
    """
    if not request.path.startswith(API_PREFIX + "/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        asked = request.headers.get("Access-Control-Request-Headers", "")
        if HEADER_NAMES.match(asked):
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    elif request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.add_etag()
        response.make_conditional(request)
    return response
