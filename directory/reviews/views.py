"""Public review pages: write a review, confirm it by email, write one from an invitation."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from directory.core.tokens import InvalidToken
from directory.extensions import db, limiter
from directory.reviews import invitations, submission
from directory.reviews.forms import ReviewForm
from directory.therapists.models import Therapist
from directory.therapists.queries import listed_therapist

bp = Blueprint("reviews", __name__)

LINK_PROBLEMS = {
    "expired": "This link has expired.",
    "used": "This link has already been used.",
    "invalid": "This link is not valid.",
}


def draft_from(form: ReviewForm, email: str) -> submission.ReviewDraft:
    return submission.ReviewDraft(
        rating=int(form.rating.data),
        title=form.title.data,
        body=form.body.data,
        visit_month=form.visit_month.data,
        reviewer_name=form.reviewer_name.data,
        initials_only=form.initials_only.data,
        email=email,
        aspects=form.aspects(),
    )


def submit(form: ReviewForm, therapist: Therapist, *, email: str, invitation=None):
    """Call the service; on refusal, put its message next to the field (returns None)."""
    try:
        return submission.submit_review(
            therapist,
            draft_from(form, email),
            user=current_user if current_user.is_authenticated else None,
            invitation=invitation,
            ip_address=request.remote_addr or "",
        )
    except submission.ReviewRefused as refusal:
        getattr(form, refusal.field).errors.append(refusal.message)
    except submission.DuplicateReview:
        form.email.errors.append(
            "You have already reviewed this therapist. "
            "Use the link in our email to edit that review."
        )
    return None


@bp.route("/therapists/<slug>/reviews/new", methods=["GET", "POST"])
@limiter.limit("10 per hour; 30 per day", methods=["POST"])
def new(slug: str):
    therapist = listed_therapist(slug)
    if therapist is None:
        abort(404)
    signed_in = current_user.is_authenticated
    form = ReviewForm(needs_email=not signed_in)
    if request.method == "GET" and signed_in:
        form.reviewer_name.data = current_user.display_name
    if form.validate_on_submit():
        email = current_user.email if signed_in else form.email.data
        review = submit(form, therapist, email=email)
        if review is not None:
            db.session.commit()
            return render_template("reviews/thanks.html", review=review, therapist=therapist)
    status = 422 if form.errors else 200
    return render_template(
        "reviews/new.html", form=form, therapist=therapist, invitation=None
    ), status


@bp.get("/reviews/confirm/<token>")
@limiter.limit("30 per hour")
def confirm(token: str):
    try:
        review = submission.confirm_review(token)
    except InvalidToken as problem:
        db.session.rollback()
        return render_template(
            "reviews/link_problem.html", message=LINK_PROBLEMS[problem.reason]
        ), 400
    db.session.commit()
    return render_template("reviews/confirmed.html", review=review)


@bp.route("/reviews/invited/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def invited(token: str):
    try:
        invitation = invitations.invitation_for_token(token)
    except InvalidToken as problem:
        return render_template(
            "reviews/link_problem.html", message=LINK_PROBLEMS[problem.reason]
        ), 400
    therapist = db.session.get(Therapist, invitation.therapist_id)
    if therapist is None or not therapist.is_live:
        abort(404)
    form = ReviewForm(needs_email=False)
    if request.method == "GET":
        form.reviewer_name.data = invitation.client_name
        form.visit_month.data = invitation.visit_date.replace(day=1)
    if form.validate_on_submit():
        review = submit(form, therapist, email=invitation.client_email, invitation=invitation)
        if review is not None:
            db.session.commit()
            return render_template("reviews/thanks.html", review=review, therapist=therapist)
    status = 422 if form.errors else 200
    return render_template(
        "reviews/new.html", form=form, therapist=therapist, invitation=invitation
    ), status
