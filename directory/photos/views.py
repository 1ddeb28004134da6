"""Public photo routes: the stored files under /media/, and a visitor's report of a photo."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for

from directory.clinics.models import Clinic
from directory.core.media_storage import media_storage
from directory.core.tenancy import enter_clinic
from directory.extensions import db, limiter
from directory.moderation.reasons import PhotoReason
from directory.photos import queries, services
from directory.photos.forms import PhotoReportForm
from directory.photos.models import Photo, PhotoKind
from directory.therapists.models import Therapist

bp = Blueprint("photos", __name__)

# A stored name never changes meaning (it is the hash of the bytes), so it may be kept.
ONE_YEAR = 365 * 24 * 3600
MAX_INITIALS = 2
# Colours behind initials: each passes WCAG AA (4.5:1) with white text (static/css/site.css).
INITIALS_COLOURS = 8


@bp.get("/media/<name>")
def media(name: str):
    path = media_storage().path(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=ONE_YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.route("/photos/<int:photo_id>/report", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
def report(photo_id: int):
    photo = queries.public_photo(photo_id)
    if photo is None:
        abort(404)
    back = page_of(photo)
    form = PhotoReportForm()
    if form.validate_on_submit():
        enter_clinic(photo.clinic_id)  # the report is a row of the photo's clinic
        services.report_photo(photo, PhotoReason(form.reason.data), form.note.data or "")
        db.session.commit()
        flash("Thank you. A moderator will look at this photo.", "success")
        return redirect(back)
    status = 422 if form.errors else 200
    return render_template(
        "photos/report.html", photo=photo, form=form, back=back, subject=subject_name(photo)
    ), status


def page_of(photo: Photo) -> str:
    """The public page that shows the photo."""
    if photo.kind == PhotoKind.HEADSHOT:
        therapist = db.session.get(Therapist, photo.therapist_id)
        return url_for("public_profiles.profile", slug=therapist.slug)
    return url_for("public_clinics.page", slug=db.session.get(Clinic, photo.clinic_id).slug)


def subject_name(photo: Photo) -> str:
    if photo.kind == PhotoKind.HEADSHOT:
        return db.session.get(Therapist, photo.therapist_id).name
    return db.session.get(Clinic, photo.clinic_id).name


@bp.app_template_filter("initials")
def initials(name: str) -> str:
    """ "Jon Wintertime" -> "JW"; the first letters of the first and last words."""
    words = [word for word in (name or "").split() if word[:1].isalnum()]
    if not words:
        return "?"
    picked = [words[0], words[-1]] if len(words) > 1 else words
    return "".join(word[0] for word in picked[:MAX_INITIALS]).upper()


@bp.app_template_filter("initials_colour")
def initials_colour(name: str) -> int:
    """The same name always gets the same colour (0 to INITIALS_COLOURS - 1)."""
    digest = hashlib.sha256((name or "").encode()).digest()
    return digest[0] % INITIALS_COLOURS
