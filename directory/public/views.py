"""The home page, the transparency numbers and how reviews work."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.core.pagination import page_number
from directory.moderation.reasons import REASON_LABELS
from directory.public import queries, transparency
from directory.reviews.ratings import FEW_REVIEWS, PRIOR_WEIGHT

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template(
        "public/home.html",
        counts=queries.platform_counts(),
        featured=queries.featured_therapists(),
        overview=queries.directory_overview(),
    )


@bp.get("/transparency")
def transparency_page():
    return render_template(
        "public/transparency.html",
        platform=transparency.platform_numbers(),
        clinics=transparency.clinic_numbers(page_number()),
        duration_words=transparency.duration_words,
    )


@bp.get("/how-reviews-work")
def how_reviews_work():
    return render_template(
        "public/how_reviews_work.html",
        reasons=REASON_LABELS,
        prior_weight=PRIOR_WEIGHT,
        few_reviews=FEW_REVIEWS,
    )
