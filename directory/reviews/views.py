"""Public review pages: write a review, confirm it by email, write one from an invitation,
resend the confirmation, edit or withdraw a review from its signed link; mark a published
review helpful, or report it."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from directory.core.addresses import normalize_email
from directory.core.tenancy import enter_clinic
from directory.core.tokens import InvalidToken
from directory.extensions import db, limiter
from directory.moderation.reasons import Reason
from directory.reviews import (
    helpful,
    invitations,
    responses,
    reviewer_control,
    submission,
    unconfirmed,
)
from directory.reviews.forms import (
    HelpfulForm,
    ReportForm,
    ResendConfirmationForm,
    ReviewForm,
    WithdrawForm,
)
from directory.reviews.models import LIVE_REVIEW_STATES, FlagSource, Review, ReviewState
from directory.therapists.models import Therapist
from directory.therapists.queries import listed_therapist

bp = Blueprint("reviews", __name__)

# A guest's voter token for "helpful" votes (reviews.helpful), kept in their session.
VOTER_SESSION_KEY = "voter"
VOTER_TOKEN_LENGTH = 32

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
    except submission.DuplicateReview as duplicate:
        if duplicate.existing is not None:
            reviewer_control.send_manage_link(duplicate.existing)
            db.session.commit()
        form.email.errors.append(
            "You have already reviewed this therapist. We have emailed you a link "
            "to edit or withdraw that review."
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
            return thanks(review, therapist)
    status = 422 if form.errors else 200
    return render_template(
        "reviews/new.html", form=form, therapist=therapist, invitation=None
    ), status


def thanks(review, therapist):
    return render_template(
        "reviews/thanks.html",
        review=review,
        therapist=therapist,
        manage_link=reviewer_control.manage_link(review),
    )


@bp.get("/reviews/confirm/<token>")
@limiter.limit("30 per hour")
def confirm(token: str):
    try:
        review = submission.confirm_review(token)
    except submission.AlreadyConfirmed as done:
        # A second click (or a mail scanner's first) is not a problem: say where it stands.
        review = done.review
        live = review.state in LIVE_REVIEW_STATES
        return render_template(
            "reviews/already_confirmed.html",
            review=review,
            therapist=review.therapist,
            manage_link=reviewer_control.manage_link(review) if live else None,
        )
    except InvalidToken as problem:
        db.session.rollback()
        return render_template(
            "reviews/link_problem.html", message=LINK_PROBLEMS[problem.reason]
        ), 400
    db.session.commit()
    return render_template(
        "reviews/confirmed.html", review=review, manage_link=reviewer_control.manage_link(review)
    )


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
            return thanks(review, therapist)
    status = 422 if form.errors else 200
    return render_template(
        "reviews/new.html", form=form, therapist=therapist, invitation=invitation
    ), status


def posted_email() -> str:
    """The rate-limit key for a resend: the address asked about, whatever the IP."""
    return "resend:" + normalize_email(request.form.get("email", ""))[:254]


@bp.route("/therapists/<slug>/reviews/resend", methods=["GET", "POST"])
@limiter.limit("5 per hour; 20 per day", methods=["POST"])
@limiter.limit("3 per hour", key_func=posted_email, methods=["POST"])
def resend(slug: str):
    therapist = listed_therapist(slug)
    if therapist is None:
        abort(404)
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        unconfirmed.request_resend(therapist, form.email.data)
        db.session.commit()
        # The same answer whether or not the address has a review waiting.
        return render_template("reviews/resent.html", therapist=therapist, email=form.email.data)
    status = 422 if form.errors else 200
    return render_template("reviews/resend.html", form=form, therapist=therapist), status


MANAGE_LINK_PROBLEMS = LINK_PROBLEMS | {
    "used": "This link is for an earlier version of your review, or the review can no longer "
    "be changed. Use the link in the latest email we sent you.",
}


def manage_link_problem(problem: InvalidToken):
    db.session.rollback()
    return render_template(
        "reviews/link_problem.html", message=MANAGE_LINK_PROBLEMS[problem.reason]
    ), 400


def changes_from(form: ReviewForm) -> reviewer_control.ReviewChanges:
    return reviewer_control.ReviewChanges(
        rating=int(form.rating.data),
        title=form.title.data,
        body=form.body.data,
        visit_month=form.visit_month.data,
        reviewer_name=form.reviewer_name.data,
        initials_only=form.initials_only.data,
        aspects=form.aspects(),
    )


@bp.route("/reviews/manage/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def manage(token: str):
    try:
        review = reviewer_control.review_for_token(token)
    except InvalidToken as problem:
        return manage_link_problem(problem)
    form = ReviewForm(needs_email=False, obj=review)
    if request.method == "GET":
        form.rating.data = str(review.rating)
    if form.validate_on_submit():
        try:
            reviewer_control.edit_review(review, changes_from(form))
        except InvalidToken as problem:
            return manage_link_problem(problem)
        db.session.commit()
        return render_template(
            "reviews/edited.html",
            review=review,
            manage_link=reviewer_control.manage_link(review),
        )
    status = 422 if form.errors else 200
    return render_template(
        "reviews/manage.html",
        form=form,
        withdraw_form=WithdrawForm(),
        review=review,
        therapist=review.therapist,
        was_published=review.state == ReviewState.PUBLISHED,
    ), status


@bp.post("/reviews/manage/<token>/withdraw")
@limiter.limit("20 per hour")
def withdraw(token: str):
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        review = reviewer_control.review_for_token(token)
        reviewer_control.withdraw_review(review)
    except InvalidToken as problem:
        return manage_link_problem(problem)
    db.session.commit()
    return render_template("reviews/withdrawn.html", review=review)


def published_review_or_404(review_id: int) -> Review:
    review = db.session.get(Review, review_id)
    if review is None or review.state != ReviewState.PUBLISHED or not review.therapist.is_live:
        abort(404)
    return review


def review_on_profile(review: Review) -> str:
    return url_for(
        "public_profiles.profile", slug=review.therapist.slug, _anchor=f"review-{review.id}"
    )


def helpful_voter() -> str:
    """This visitor as a voter: their account, else a random token in their session."""
    if current_user.is_authenticated:
        return helpful.user_voter(current_user)
    token = session.get(VOTER_SESSION_KEY)
    if not isinstance(token, str) or len(token) != VOTER_TOKEN_LENGTH:
        token = secrets.token_hex(VOTER_TOKEN_LENGTH // 2)
        session[VOTER_SESSION_KEY] = token
    return helpful.guest_voter(token)


@bp.post("/reviews/<int:review_id>/helpful")
@limiter.limit("30 per hour; 200 per day")
def mark_helpful(review_id: int):
    review = published_review_or_404(review_id)
    if not HelpfulForm().validate_on_submit():
        abort(400)
    enter_clinic(review.clinic_id)  # the vote is a row of the reviewed clinic
    user = current_user if current_user.is_authenticated else None
    try:
        counted = helpful.mark_helpful(review, helpful_voter(), user)
    except helpful.VoteRefused as refusal:
        flash(str(refusal), "error")
        return redirect(review_on_profile(review))
    db.session.commit()
    if counted:
        flash("Thank you: your vote helps others find the most useful reviews.", "success")
    else:
        flash("You have already marked this review as helpful.", "info")
    return redirect(review_on_profile(review))


@bp.post("/reviews/<int:review_id>/report")
@limiter.limit("5 per hour; 20 per day")
def report(review_id: int):
    review = published_review_or_404(review_id)
    form = ReportForm()
    back = review_on_profile(review)
    if not form.validate_on_submit():
        flash("Choose a reason, and give a valid email or none.", "error")
        return redirect(back)
    enter_clinic(review.clinic_id)  # the flag is a row of the reviewed clinic
    try:
        responses.flag_review(
            review,
            Reason(form.reason.data),
            form.note.data or "",
            source=FlagSource.PUBLIC,
            reporter_email=normalize_email(form.email.data or ""),
        )
    except responses.NotAllowed as problem:
        flash(str(problem), "error")
        return redirect(back)
    db.session.commit()
    flash("Thank you. A moderator will look at this review.", "success")
    return redirect(back)
