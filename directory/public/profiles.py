"""The public therapist profile: who they are, their checked credentials, their reviews."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from directory.core.errors import BadParameter
from directory.core.pagination import page_number
from directory.moderation.reasons import REASON_LABELS
from directory.public import page_cache, structured_data, therapist_profile, view_counts

bp = Blueprint("public_profiles", __name__)

PAGE_PARAMETERS = {"sort": "newest", "page": 1}


def review_sort() -> str:
    sort = request.args.get("sort", "newest")
    if sort not in therapist_profile.SORTS:
        raise BadParameter("sort", "must be newest or helpful")
    return sort


@bp.get("/therapists/<slug>")
def profile(slug: str):
    page = page_cache.serve(
        page_cache.profile_subject(slug), lambda: _render_profile(slug), PAGE_PARAMETERS
    )
    view_counts.count_view(slug)  # never fails the page
    return page


def _render_profile(slug: str) -> str:
    found = therapist_profile.listed_with_rating(slug)
    if found is None:
        abort(404)
    therapist, rating = found
    sort = review_sort()
    accreditations = therapist_profile.public_accreditations(therapist)
    terms = therapist_profile.terms_of(therapist)
    return render_template(
        "public/profile.html",
        therapist=therapist,
        clinic=therapist.clinic,
        rating=rating,
        reason_labels=REASON_LABELS,
        accreditations=accreditations,
        terms=terms,
        structured_data=structured_data.therapist_graph(therapist, terms, rating, accreditations),
        reviews=therapist_profile.published_reviews(therapist, sort=sort, number=page_number()),
        sort=sort,
    )
