"""Accounts: registration, sign-in, email verification, password reset, platform roles.

Services flush; the caller commits.  Emails leave through the outbox, so they go out only
if the caller's transaction commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from directory.accounts.models import PlatformRole, User
from directory.core import outbox
from directory.core.addresses import InvalidEmail, checked_email, normalize_email
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.passwords import hash_new_password, hash_password, needs_rehash, verify_password
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url, same_site_path
from directory.extensions import db


class EmailAlreadyRegistered(Exception):
    pass


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the active user a session or remember cookie names, or None.

    The id is "<user id>:<session version>" (User.get_id); a session made before the
    version was bumped (password changed, account deleted) no longer signs anyone in.
    """
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register_user(
    email: str, display_name: str, password: str, next_path: str | None = None
) -> User:
    """Create an account and queue the email that verifies its address (its link signs
    in and goes on to `next_path`).

    Raises InvalidEmail, UnusablePassword or EmailAlreadyRegistered, having saved nothing.
    """
    email = checked_email(email)
    password_hash = hash_new_password(password)
    if find_user_by_email(email) is not None:
        raise EmailAlreadyRegistered(email)
    user = User(email=email, display_name=display_name.strip(), password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    send_verification_email(user, next_path)
    return user


def ask_to_register(email: str, display_name: str, password: str, next_path: str | None) -> None:
    """Registration as a visitor sees it: the same work and the same answer whether or
    not the address has an account, so the page never tells who is registered.

    A new address gets an account and the link that confirms it; a known one gets an
    email telling its owner that someone tried to register with it, and the ways back
    in.  Raises InvalidEmail or UnusablePassword, having saved nothing.
    """
    try:
        register_user(email, display_name, password, next_path)
    except EmailAlreadyRegistered:
        owner = find_user_by_email(email)
        queue_email(
            owner.email,
            "registration_attempt",
            "Someone tried to create an account with your address",
            user=owner,
            sign_in_link=external_url("accounts.sign_in"),
            reset_link=external_url("accounts.forgot_password"),
        )


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    Hashes even when the address is unknown, so timing does not reveal which emails exist.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        hash_password(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def send_verification_email(user: User, next_path: str | None = None) -> None:
    payload = {"uid": user.id, "email": user.email}
    if next_path:
        payload["next"] = next_path
    token = make_token(TokenPurpose.VERIFY_ACCOUNT_EMAIL, payload)
    queue_email(
        user.email,
        "verify_account",
        "Confirm your email address",
        user=user,
        link=external_url("accounts.verify_email", token=token),
    )


@dataclass(frozen=True)
class Verification:
    user: User
    first: bool  # this link confirmed the address (an earlier one had not)
    next_path: str | None  # where the person was going when they registered


def verify_email(token: str) -> Verification:
    """Mark the address in the token verified; raises InvalidToken.  Using it twice is harmless."""
    payload = read_token(
        TokenPurpose.VERIFY_ACCOUNT_EMAIL, token, current_app.config["EMAIL_TOKEN_MAX_AGE"]
    )
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email") or not user.is_active:
        raise InvalidToken("invalid")
    first = user.email_verified_at is None
    if first:
        user.email_verified_at = utcnow()
    return Verification(user, first, same_site_path(payload.get("next")))


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password does, so a reset link works once.
    return user.password_hash[-16:]


# The job that answers a reset request, by email, once the request has committed.
ANSWER_PASSWORD_RESET_TASK = "accounts.answer_password_reset"


def request_password_reset(email: str) -> None:
    """Queue the answer to a reset request for `email`.

    The request does the same work for every address, one job through the outbox, and
    the job decides what to write (answer_password_reset): neither the page nor its
    timing tells whether the address has an account.
    """
    try:
        address = checked_email(email)
    except InvalidEmail:
        return  # nowhere to write to: the form refuses such an address anyway
    outbox.enqueue(ANSWER_PASSWORD_RESET_TASK, email=address)


def answer_password_reset(email: str) -> None:
    """Email a reset link if the address belongs to an active account, else an email
    saying there is none (the job queued by request_password_reset)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        queue_email(
            email,
            "reset_password_no_account",
            "Reset your password",
            register_link=external_url("accounts.register"),
        )
        return
    token = make_token(
        TokenPurpose.RESET_PASSWORD, {"uid": user.id, "fp": _password_fingerprint(user)}
    )
    queue_email(
        user.email,
        "reset_password",
        "Reset your password",
        user=user,
        link=external_url("accounts.reset_password", token=token),
    )


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for; raises InvalidToken if expired, tampered or used."""
    payload = read_token(
        TokenPurpose.RESET_PASSWORD, token, current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active or payload.get("fp") != _password_fingerprint(user):
        raise InvalidToken("invalid")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link.  The link stops working afterwards, and
    every session signed in before ends.

    Opening the link proves the address, so an unverified email becomes verified.
    Raises InvalidToken or UnusablePassword, having changed nothing.
    """
    user = user_for_reset_token(token)
    user.password_hash = hash_new_password(new_password)
    # Whoever had the old password may be signed in somewhere: end every session.
    user.session_version += 1
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def set_active(email: str, active: bool) -> User:
    """Deactivate an account (it cannot sign in, and every session and remember cookie
    ends at once) or let it sign in again.  Raises LookupError for an unknown address."""
    user = find_user_by_email(email)
    if user is None:
        raise LookupError(email)
    if user.is_active and not active:
        user.session_version += 1
    user.is_active = active
    db.session.flush()
    return user


def ensure_platform_user(
    email: str, role: PlatformRole, display_name: str = ""
) -> tuple[User, str | None]:
    """Give `email` a platform role, creating a verified account if needed.

    Returns the user and, when the account is new, its generated one-time password.
    """
    user = find_user_by_email(email)
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(
            email=checked_email(email),
            display_name=display_name or email.split("@")[0],
            password_hash=hash_new_password(password),
            email_verified_at=utcnow(),
        )
        db.session.add(user)
    user.platform_role = role
    db.session.flush()
    return user, password
