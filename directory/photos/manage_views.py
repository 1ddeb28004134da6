"""The clinic console's photo pages: a therapist's headshot and the clinic's gallery.

Each view: clinic_route loads the clinic and checks the role -> load the photo or
therapist (404 for another clinic's) -> read the upload -> call a service -> commit.  A
refused file is shown next to the file field with a 422, and nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from directory.clinics.access import clinic_route, owned_or_404
from directory.clinics.permissions import Permission, role_can
from directory.core.input_guard import accepts_upload
from directory.extensions import db
from directory.photos import services
from directory.photos.forms import PhotoUploadForm
from directory.photos.images import MAX_BYTES, ImageRefused
from directory.photos.models import MAX_CLINIC_PHOTOS, Photo, PhotoKind
from directory.therapists.models import Therapist

bp = Blueprint("manage_photos", __name__, url_prefix="/manage/<clinic_slug>")

# The body around the file (other fields, multipart framing) is small; this leaves room.
UPLOAD_BODY_LIMIT = MAX_BYTES + 256 * 1024
TOO_LARGE = (
    f"That file is larger than {MAX_BYTES // 1024 // 1024} MB, the limit for a photo."
    " Go back, export a smaller copy and upload that."
)
NO_FILE = "Choose a photo to upload."


def uploaded_bytes() -> bytes | None:
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    return upload.read(MAX_BYTES + 1)  # one byte more than allowed tells "too large"


def to_headshot(clinic, therapist):
    return redirect(
        url_for("manage_photos.headshot", clinic_slug=clinic.slug, therapist_id=therapist.id)
    )


def to_gallery(clinic):
    return redirect(url_for("manage_photos.gallery", clinic_slug=clinic.slug))


@bp.route("/therapists/<int:therapist_id>/photo", methods=["GET", "POST"])
@clinic_route(Permission.MANAGE_THERAPISTS)
@accepts_upload(UPLOAD_BODY_LIMIT, TOO_LARGE)
def headshot(clinic, membership, therapist_id: int):
    therapist = owned_or_404(Therapist, therapist_id, clinic)
    if therapist.deleted_at is not None:
        abort(404)
    form = PhotoUploadForm()
    file_error = None
    if form.validate_on_submit():
        data = uploaded_bytes()
        if data is None:
            file_error = NO_FILE
        else:
            try:
                services.set_headshot(therapist, data, form.alt_text.data or "", current_user)
            except ImageRefused as refusal:
                file_error = str(refusal)
            else:
                db.session.commit()
                flash(f"The photo of {therapist.name} is saved.", "success")
                return to_headshot(clinic, therapist)
    status = 422 if form.errors or file_error else 200
    return render_template(
        "photos/headshot.html",
        clinic=clinic,
        therapist=therapist,
        photo=services.headshot_of(therapist),
        form=form,
        file_error=file_error,
    ), status


@bp.route("/photos", methods=["GET", "POST"])
@clinic_route(Permission.EDIT_CLINIC)
@accepts_upload(UPLOAD_BODY_LIMIT, TOO_LARGE)
def gallery(clinic, membership):
    form = PhotoUploadForm()
    file_error = None
    if form.validate_on_submit():
        data = uploaded_bytes()
        if data is None:
            file_error = NO_FILE
        else:
            try:
                services.add_clinic_photo(clinic, data, form.alt_text.data or "", current_user)
            except (ImageRefused, services.PhotoRefused) as refusal:
                file_error = str(refusal)
            else:
                db.session.commit()
                flash("The photo is added to the clinic's page.", "success")
                return to_gallery(clinic)
    status = 422 if form.errors or file_error else 200
    return render_template(
        "photos/gallery.html",
        clinic=clinic,
        photos=services.clinic_photos(clinic.id),
        max_photos=MAX_CLINIC_PHOTOS,
        form=form,
        file_error=file_error,
    ), status


@bp.post("/photos/<int:photo_id>/delete")
@clinic_route(Permission.MANAGE_THERAPISTS)
def delete(clinic, membership, photo_id: int):
    photo = owned_or_404(Photo, photo_id, clinic)
    if photo.kind == PhotoKind.CLINIC and not role_can(membership.role, Permission.EDIT_CLINIC):
        abort(403)
    therapist = db.session.get(Therapist, photo.therapist_id) if photo.therapist_id else None
    services.remove_photo(photo)
    db.session.commit()
    flash("The photo is removed.", "success")
    if therapist is not None:
        return to_headshot(clinic, therapist)
    return to_gallery(clinic)
