"""Account pages: register, sign in / out, verify email, reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from directory.accounts import services, sign_in_throttle
from directory.accounts.changes import end_other_sessions
from directory.accounts.forms import ForgotPasswordForm, RegisterForm, ResetPasswordForm, SignInForm
from directory.core.addresses import InvalidEmail
from directory.core.formatting import plural
from directory.core.passwords import UnusablePassword
from directory.core.tokens import InvalidToken
from directory.core.urls import same_site_path
from directory.extensions import db, limiter

bp = Blueprint("accounts", __name__)

TOKEN_PROBLEMS = {
    "expired": "This link has expired. Ask for a new one below.",
    "invalid": "This link is not valid, or it has already been used.",
}


def start_fresh_session() -> None:
    """Before signing someone in: nothing the session held while signed out (Flask-Login's
    marks, the CSRF token) carries over; the visitor's own choices (the compare tray) do.
    Flask's, Flask-Login's and Flask-WTF's keys all start with an underscore."""
    kept = {key: value for key, value in session.items() if not key.startswith("_")}
    session.clear()
    session.update(kept)


def safe_next_url(default: str) -> str:
    """The `next` parameter if it points inside this site, otherwise `default`."""
    return same_site_path(request.args.get("next")) or default


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(safe_next_url(url_for("public.home")))
    form = RegisterForm()
    next_path = same_site_path(request.args.get("next"))
    if form.validate_on_submit():
        try:
            services.ask_to_register(
                form.email.data, form.display_name.data, form.password.data, next_path
            )
        except InvalidEmail as problem:
            form.email.errors.append(str(problem))
        except UnusablePassword as problem:
            form.password.errors.append(str(problem))
        else:
            db.session.commit()
            # The same answer for a new address and a registered one: only the inbox
            # tells them apart.
            session["registered_email"] = form.email.data.strip()
            return redirect(url_for("accounts.check_inbox"))
    status = 422 if form.errors else 200
    return render_template("accounts/register.html", form=form, next=next_path), status


@bp.get("/register/check-your-inbox")
def check_inbox():
    return render_template("accounts/check_inbox.html", email=session.get("registered_email"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next_url(url_for("public.home")))
    form = SignInForm()
    attempt = sign_in_throttle.Attempt()
    if form.validate_on_submit():
        attempt = sign_in_throttle.attempt_sign_in(form.email.data, form.password.data)
        if attempt.user is not None:
            db.session.commit()
            start_fresh_session()
            login_user(attempt.user, remember=form.remember.data)
            flash(f"Signed in as {attempt.user.email}.", "success")
            # Without a `next`, the clinics domain knows where a member goes (by endpoint:
            # accounts imports no domain that depends on it).
            response = redirect(safe_next_url(url_for("clinics.landing")))
            sign_in_throttle.remember_browser(response, attempt.user.email)
            return response
        if attempt.wait_seconds:
            form.password.errors.append(
                "Too many wrong passwords for this account. Try again in"
                f" {_wait_in_words(attempt.wait_seconds)}, or reset your password."
            )
        else:
            form.password.errors.append("That email and password do not match an account.")
    page = render_template(
        "accounts/sign_in.html", form=form, next=same_site_path(request.args.get("next"))
    )
    if attempt.wait_seconds:
        return page, 429, {"Retry-After": str(attempt.wait_seconds)}
    return page, 422 if form.errors else 200


def _wait_in_words(seconds: int) -> str:
    return plural(seconds, "second") if seconds < 60 else plural(-(-seconds // 60), "minute")


@bp.get("/login")
def login_alias():
    """The address people and password managers guess; the page is /sign-in."""
    next_path = same_site_path(request.args.get("next"))
    return redirect(
        url_for("accounts.sign_in", next=next_path) if next_path else url_for("accounts.sign_in")
    )


@bp.post("/sign-out")
def sign_out():
    """Sign out here; with `everywhere`, every other session and remember cookie of the
    account ends too (a copied cookie included)."""
    everywhere = current_user.is_authenticated and bool(request.form.get("everywhere"))
    if everywhere:
        end_other_sessions(current_user)
        db.session.commit()
    logout_user()
    flash("You are signed out everywhere." if everywhere else "You are signed out.", "info")
    return redirect(url_for("public.home"))


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html")


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    """Confirm the address; the first time, sign its owner in (opening the link proves
    the address) and take them where they were going when they registered."""
    try:
        verification = services.verify_email(token)
    except InvalidToken as problem:
        flash(TOKEN_PROBLEMS[problem.reason], "error")
        return render_template("accounts/link_problem.html"), 400
    db.session.commit()
    user = verification.user
    if verification.first and not current_user.is_authenticated:
        start_fresh_session()
        login_user(user)
        flash(f"Thank you: {user.email} is confirmed, and you are signed in.", "success")
        return redirect(verification.next_path or url_for("accounts.account"))
    flash(f"Thank you: {user.email} is confirmed.", "success")
    return redirect(
        url_for("accounts.account" if current_user.is_authenticated else "accounts.sign_in")
    )


@bp.post("/account/verify/resend")
@login_required
@limiter.limit("3 per 10 minutes")
def resend_verification():
    if not current_user.email_verified:
        services.send_verification_email(current_user)
        db.session.commit()
    flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per 10 minutes", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(
            "If an account uses that address, we have emailed it a link to reset the password.",
            "success",
        )
        return redirect(url_for("accounts.sign_in"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 10 minutes", methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except InvalidToken as problem:
        flash(TOKEN_PROBLEMS[problem.reason], "error")
        return render_template("accounts/link_problem.html", forgot=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except UnusablePassword as problem:
            form.password.errors.append(str(problem))
        else:
            db.session.commit()
            sign_in_throttle.forget_failures(user.email)  # the owner proved the address
            logout_user()
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("accounts.sign_in", email=user.email))
    status = 422 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form), status
