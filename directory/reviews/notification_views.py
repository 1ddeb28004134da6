"""How a clinic member hears of new reviews: the console page, and the unsubscribe link.

The unsubscribe link comes from an email and works signed out.  GET shows a page with
one button (a link scanner that follows links must not unsubscribe anyone); POST
unsubscribes.  Mail clients' one-click unsubscribe (RFC 8058) POSTs
`List-Unsubscribe=One-Click` to the same address with no form and no cookie, so that one
route, and only it, is exempt from CSRF: the signed token in its address is the proof,
and all it can do is stop emails.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from directory.clinics.access import clinic_route
from directory.clinics.models import Membership, ReviewEmails
from directory.clinics.permissions import Permission
from directory.core.tokens import InvalidToken
from directory.extensions import csrf, db
from directory.reviews import notifications
from directory.reviews.forms import ReviewEmailsForm

bp = Blueprint("review_emails", __name__)

CHOSEN = {
    ReviewEmails.EACH: "We will email you about each review as it is published.",
    ReviewEmails.DAILY: "We will email you once a day when there are new reviews.",
    ReviewEmails.NONE: "We will not email you about reviews.",
}


@bp.route("/manage/<clinic_slug>/review-emails", methods=["GET", "POST"])
@clinic_route(Permission.HEAR_OF_REVIEWS)
def settings(clinic, membership):
    form = ReviewEmailsForm()
    if form.validate_on_submit():
        choice = ReviewEmails(form.choice.data)
        notifications.choose(membership, choice)
        db.session.commit()
        flash(CHOSEN[choice], "success")
        return redirect(url_for("review_emails.settings", clinic_slug=clinic.slug))
    if not form.is_submitted():
        form.choice.data = membership.review_emails
    return render_template(
        "reviews/review_emails.html", clinic=clinic, form=form
    ), 422 if form.errors else 200


def _link_problem(problem: InvalidToken):
    message = (
        "This unsubscribe link is too old."
        if problem.reason == "expired"
        else "This unsubscribe link is not valid: it may have been cut short or changed."
    )
    return render_template("reviews/unsubscribe_problem.html", message=message), 400


@bp.get("/review-emails/unsubscribe/<token>")
def unsubscribe(token: str):
    try:
        membership = notifications.membership_for_unsubscribe(token)
    except InvalidToken as problem:
        return _link_problem(problem)
    return _unsubscribe_page(membership, done=False)


@bp.post("/review-emails/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: the mail client posts without a form (module docstring)
def confirm_unsubscribe(token: str):
    try:
        membership = notifications.membership_for_unsubscribe(token)
    except InvalidToken as problem:
        return _link_problem(problem)
    notifications.choose(membership, ReviewEmails.NONE)
    db.session.commit()
    return _unsubscribe_page(membership, done=True)


def _unsubscribe_page(membership: Membership, *, done: bool) -> str:
    return render_template(
        "reviews/unsubscribe.html",
        membership=membership,
        clinic=membership.clinic,
        email=membership.user.email,
        done=done,
    )
