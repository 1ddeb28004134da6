"""The clinic console's review pages: invitations, published reviews, replies and flags."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields import SelectChoice

from directory.clinics.access import clinic_route, owned_or_404
from directory.clinics.permissions import Permission, role_can
from directory.core.pagination import Page, page_number
from directory.extensions import db, limiter
from directory.moderation.reasons import Reason
from directory.reviews import invitations, responses
from directory.reviews.forms import FlagForm, InvitationForm, ReplyForm
from directory.reviews.models import ClinicReply, FlagSource, Review, ReviewState
from directory.therapists.models import Therapist
from directory.therapists.queries import published_therapists_of

bp = Blueprint("manage_reviews", __name__, url_prefix="/manage/<clinic_slug>")

PER_PAGE = 20


def clinic_invitation_key() -> str:
    """Invitations are rate-limited per clinic, whoever sends them."""
    return "review-invitations:" + request.view_args.get("clinic_slug", "")


def invitation_form(clinic) -> InvitationForm:
    form = InvitationForm()
    form.therapist_id.choices = [
        SelectChoice(t.id, t.name) for t in published_therapists_of(clinic)
    ]
    return form


def render_invitations(clinic, membership, form, status=200):
    number = page_number()
    rows, total = invitations.invitations_of(clinic, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    page = Page(items=rows, number=number, per_page=PER_PAGE, total=total)
    return render_template(
        "reviews/manage_invitations.html", clinic=clinic, form=form, page=page
    ), status


@bp.get("/invitations")
@clinic_route(Permission.SEND_REVIEW_INVITATIONS)
def invitations_page(clinic, membership):
    form = invitation_form(clinic)
    form.visit_date.data = date.today()
    return render_invitations(clinic, membership, form)


@bp.post("/invitations")
@clinic_route(Permission.SEND_REVIEW_INVITATIONS)
@limiter.limit("100 per day", key_func=clinic_invitation_key)
def send_invitation(clinic, membership):
    form = invitation_form(clinic)
    if form.validate_on_submit():
        therapist = owned_or_404(Therapist, form.therapist_id.data, clinic)
        try:
            invitations.send_invitation(
                clinic,
                therapist,
                current_user,
                form.client_email.data,
                form.client_name.data,
                form.visit_date.data,
            )
        except invitations.InvitationRefused as refusal:
            getattr(form, refusal.field).errors.append(refusal.message)
        else:
            db.session.commit()
            flash(
                f"We emailed {form.client_email.data} an invitation to review {therapist.name}.",
                "success",
            )
            return redirect(url_for("manage_reviews.invitations_page", clinic_slug=clinic.slug))
    return render_invitations(clinic, membership, form, status=422)


@bp.get("/reviews")
@clinic_route(Permission.VIEW_CONSOLE)
def reviews_page(clinic, membership):
    number = page_number()
    published = sa.and_(Review.clinic_id == clinic.id, Review.state == ReviewState.PUBLISHED)
    total = db.session.scalar(sa.select(sa.func.count()).where(published))
    rows = db.session.execute(
        sa.select(Review, Therapist.name, ClinicReply)
        .join(Therapist, Therapist.id == Review.therapist_id)
        .outerjoin(ClinicReply, ClinicReply.review_id == Review.id)
        .where(published)
        .order_by(Review.published_at.desc(), Review.id.desc())
        .offset((number - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return render_template(
        "reviews/manage_reviews.html",
        clinic=clinic,
        page=Page(items=rows, number=number, per_page=PER_PAGE, total=total),
        can_reply=role_can(membership.role, Permission.REPLY_TO_REVIEWS),
        can_flag=role_can(membership.role, Permission.FLAG_REVIEWS),
        flag_form=FlagForm(),
    )


def published_review_or_404(clinic, review_id: int) -> Review:
    review = owned_or_404(Review, review_id, clinic)
    if review.state != ReviewState.PUBLISHED:
        abort(404)  # until a moderator publishes it, a review is not the clinic's to see
    return review


@bp.route("/reviews/<int:review_id>/reply", methods=["GET", "POST"])
@clinic_route(Permission.REPLY_TO_REVIEWS)
def reply(clinic, membership, review_id: int):
    review = published_review_or_404(clinic, review_id)
    existing = responses.reply_to(review)
    form = ReplyForm(obj=existing)
    warning = None
    if form.validate_on_submit():
        try:
            responses.post_reply(
                review, current_user, form.body.data, confirmed=form.confirmed.data == "yes"
            )
        except responses.ReplyHeld as held:
            db.session.commit()  # keep the held draft, so nothing typed is lost
            warning = held.phrases
            form.confirmed.data = "yes"
        else:
            db.session.commit()
            flash("Your reply is published under the review.", "success")
            return redirect(url_for("manage_reviews.reviews_page", clinic_slug=clinic.slug))
    status = 422 if form.errors else (409 if warning else 200)
    return render_template(
        "reviews/manage_reply.html", clinic=clinic, review=review, form=form, warning=warning
    ), status


@bp.post("/reviews/<int:review_id>/flag")
@clinic_route(Permission.FLAG_REVIEWS)
def flag(clinic, membership, review_id: int):
    review = published_review_or_404(clinic, review_id)
    form = FlagForm()
    if not form.validate_on_submit():
        flash("Choose a reason for the flag.", "error")
    else:
        try:
            responses.flag_review(
                review,
                Reason(form.reason.data),
                form.note.data or "",
                source=FlagSource.CLINIC,
                flagged_by=current_user,
            )
        except responses.NotAllowed as problem:
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(
                "Thank you. A moderator will look at this review; the clinic does not decide.",
                "success",
            )
    return redirect(url_for("manage_reviews.reviews_page", clinic_slug=clinic.slug))
