"""The signed-in person's own pages under /account: reviews, name, email, password, export,
deletion.  Thin views: load, validate, call a service, commit, redirect or render."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from directory.accounts import changes
from directory.accounts.services import EmailAlreadyRegistered
from directory.core.addresses import InvalidEmail
from directory.core.pagination import page_number
from directory.core.passwords import UnusablePassword
from directory.core.tokens import InvalidToken
from directory.extensions import db, limiter
from directory.self_service import deletion, my_reviews
from directory.self_service.export import export_data
from directory.self_service.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    NameForm,
    PasswordChangeForm,
)

bp = Blueprint("self_service", __name__)

WRONG_PASSWORD = "That is not your current password."


def _render(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


def _sign_in_again() -> None:
    """Keep this session (and its remember cookie) after the session version moved on."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(current_user._get_current_object(), remember=cookie in request.cookies)


@bp.get("/account/reviews")
@login_required
def reviews():
    page = my_reviews.reviews_of(current_user, page_number())
    return render_template("self_service/reviews.html", page=page)


@bp.route("/account/name", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def change_name():
    form = NameForm(obj=current_user)
    if form.validate_on_submit():
        changes.change_name(current_user, form.display_name.data)
        db.session.commit()
        flash("Your name is changed.", "success")
        return redirect(url_for("accounts.account"))
    return _render("self_service/name.html", form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per 10 minutes", methods=["POST"])
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            new_email = changes.request_email_change(
                current_user, form.email.data, form.password.data
            )
        except changes.WrongPassword:
            form.password.errors.append(WRONG_PASSWORD)
        except InvalidEmail as problem:
            form.email.errors.append(str(problem))
        except EmailAlreadyRegistered:
            form.email.errors.append("That address is already in use. Choose another one.")
        else:
            db.session.commit()
            flash(
                f"We sent a link to {new_email}. Open it to confirm the change; until then "
                "your account keeps its current address.",
                "success",
            )
            return redirect(url_for("accounts.account"))
    return _render("self_service/email.html", form)


@bp.get("/account/email/confirm/<token>")
def confirm_email_change(token: str):
    try:
        user = changes.confirm_email_change(token)
    except InvalidToken:
        return render_template("accounts/link_problem.html"), 400
    db.session.commit()
    flash(f"Your account now uses {user.email}.", "success")
    return redirect(
        url_for("accounts.account" if current_user.is_authenticated else "accounts.sign_in")
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 10 minutes", methods=["POST"])
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            changes.change_password(current_user, form.current_password.data, form.password.data)
        except changes.WrongPassword:
            form.current_password.errors.append(WRONG_PASSWORD)
        except UnusablePassword as problem:
            form.password.errors.append(str(problem))
        else:
            db.session.commit()
            _sign_in_again()
            flash("Your password is changed. Every other device was signed out.", "success")
            return redirect(url_for("accounts.account"))
    return _render("self_service/password.html", form)


@bp.get("/account/export.json")
@login_required
@limiter.limit("10 per hour")
def export():
    document = json.dumps(export_data(current_user), indent=2, ensure_ascii=False)
    return Response(
        document,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="therapist-directory-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per 10 minutes", methods=["POST"])
def delete():
    form = DeleteAccountForm()
    to_hand_over = deletion.clinics_to_hand_over(current_user)
    if form.validate_on_submit():
        try:
            deletion.request_deletion(
                current_user, form.password.data, keep_reviews=form.reviews.data == "keep"
            )
        except changes.WrongPassword:
            form.password.errors.append(WRONG_PASSWORD)
        except deletion.LastOwner as refusal:
            return render_template(
                "self_service/delete.html", form=form, to_hand_over=refusal.clinics
            ), 409
        else:
            db.session.commit()
            flash(
                f"We sent a link to {current_user.email}. Open it to delete your account.",
                "success",
            )
            return redirect(url_for("accounts.account"))
    return _render("self_service/delete.html", form, to_hand_over=to_hand_over)


@bp.route("/account/delete/confirm/<token>", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 10 minutes", methods=["POST"])
def confirm_deletion(token: str):
    try:
        keep_reviews = deletion.read_deletion_token(token, current_user)
    except InvalidToken:
        return render_template("accounts/link_problem.html"), 400
    if request.method == "POST":
        try:
            deletion.delete_account(current_user, keep_reviews=keep_reviews)
        except InvalidToken:
            return render_template("accounts/link_problem.html"), 400
        except deletion.LastOwner as refusal:
            return render_template(
                "self_service/delete_confirm.html",
                token=token,
                keep_reviews=keep_reviews,
                to_hand_over=refusal.clinics,
            ), 409
        db.session.commit()
        logout_user()
        flash("Your account is deleted. Thank you for the time you spent with us.", "success")
        return redirect(url_for("public.home"))
    return render_template(
        "self_service/delete_confirm.html",
        token=token,
        keep_reviews=keep_reviews,
        to_hand_over=[],
    )
