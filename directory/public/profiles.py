"""The public therapist profile: who they are, their checked credentials, their reviews,
and how to reach them (Book, Call, Email: each click counted, public.contact)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request

from directory.core.errors import BadParameter
from directory.core.pagination import page_number
from directory.extensions import csrf, limiter
from directory.moderation.reasons import REASON_LABELS
from directory.public import contact, page_cache, structured_data, therapist_profile, view_counts
from directory.therapists.models import ContactKind
from directory.therapists.queries import listed_therapist

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
        page_cache.profile_subject(slug),
        lambda: _render_profile(slug),
        PAGE_PARAMETERS,
        variant=contact.clock_window(),
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
    card = contact.therapist_card(therapist)
    return render_template(
        "public/profile.html",
        therapist=therapist,
        clinic=therapist.clinic,
        rating=rating,
        reason_labels=REASON_LABELS,
        accreditations=accreditations,
        terms=terms,
        contact=card,
        structured_data=structured_data.therapist_graph(
            therapist, terms, rating, accreditations, card
        ),
        reviews=therapist_profile.published_reviews(therapist, sort=sort, number=page_number()),
        sort=sort,
    )


@bp.get("/therapists/<slug>/book")
@limiter.limit("60 per minute")
def book(slug: str):
    """Count a click on Book, then send the visitor to the booking page (only a listed
    therapist's, only http or https)."""
    therapist = listed_therapist(slug)
    target = contact.booking_url_of(therapist) if therapist is not None else ""
    if not target:
        abort(404)
    view_counts.count_contact(slug, ContactKind.BOOK)
    response = redirect(target, code=302)
    response.headers["Cache-Control"] = "no-store"  # every click must reach us
    return response


@bp.post("/therapists/<slug>/contact/<kind>")
@csrf.exempt  # a browser's `ping` carries no form; it changes nothing but a statistic
@limiter.limit("30 per minute")
def contact_click(slug: str, kind: str):
    """A click on a profile's Call, Email or website link, told by the link's `ping`."""
    if kind not in {ContactKind.CALL, ContactKind.EMAIL, ContactKind.WEBSITE}:
        abort(404)
    if listed_therapist(slug) is None:
        abort(404)
    view_counts.count_contact(slug, ContactKind(kind))
    return "", 204
