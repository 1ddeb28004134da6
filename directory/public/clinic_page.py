"""The public clinic page: the clinic, how to reach it, its hours, its listed therapists
and its rating."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from directory.clinics.access import clinic_by_slug
from directory.photos.services import clinic_photos
from directory.public import contact, structured_data
from directory.reviews.ratings import clinic_totals, overview
from directory.therapists.queries import published_therapists_of

bp = Blueprint("public_clinics", __name__)


@bp.get("/clinics/<slug>")
def page(slug: str):
    clinic = clinic_by_slug(slug)
    if clinic is None:
        abort(404)
    therapists = published_therapists_of(clinic)
    rating = overview(clinic_totals(clinic.id))
    card = contact.clinic_card(clinic)
    return render_template(
        "public/clinic.html",
        clinic=clinic,
        therapists=therapists,
        rating=rating,
        contact=card,
        photos=clinic_photos(clinic.id),
        structured_data=structured_data.clinic_data(clinic, rating, therapists, card.hours),
    )
