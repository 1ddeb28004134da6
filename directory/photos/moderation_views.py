"""The moderators' page of reported photos (/moderation/photos): take down or dismiss.

load (404 if absent) -> moderator_route authorizes -> validate -> service -> commit ->
redirect.  A decision on a photo whose reports another moderator closed first answers 409.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from directory.core.pagination import Page, page_number
from directory.extensions import db
from directory.moderation.access import moderator_route
from directory.moderation.reasons import PHOTO_REASON_LABELS, PhotoReason
from directory.photos import queries, services
from directory.photos.forms import PhotoDecisionForm
from directory.photos.models import Photo

bp = Blueprint("photo_moderation", __name__)

PER_PAGE = 20


def render_reports(forms: dict | None = None, status: int = 200):
    number = page_number()
    items, total = queries.reported_photos((number - 1) * PER_PAGE, PER_PAGE)
    return render_template(
        "photos/moderation.html",
        page=Page(items=items, number=number, per_page=PER_PAGE, total=total),
        forms=forms or {},
        blank=PhotoDecisionForm(),
        photo_reason_labels=PHOTO_REASON_LABELS,
    ), status


@bp.get("/moderation/photos")
@moderator_route
def reports():
    return render_reports()


@bp.post("/moderation/photos/<int:photo_id>")
@moderator_route
def decide(photo_id: int):
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        abort(404)
    form = PhotoDecisionForm()
    if not form.validate_on_submit():
        return render_reports({photo.id: form}, 422)
    if not services.open_reports_of(photo):
        abort(409, "Another moderator has decided on this photo already.")
    if form.decision.data == "take_down":
        services.take_down(photo, current_user, PhotoReason(form.reason.data), form.note.data or "")
        message = "The photo is taken down; the audit log records why."
    else:
        services.dismiss_reports(photo, current_user, form.note.data or "")
        message = "Reports dismissed: the photo stays."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("photo_moderation.reports"))
