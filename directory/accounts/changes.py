"""What a signed-in person changes about their own account: name, email address, password.

Services flush; the caller commits.  Emails leave through the outbox.

- A new email address is confirmed by a signed link sent to it; the token binds the
  address in use when it was asked for, so the link works once (the confirmed change
  moves the account off that address) and for EMAIL_TOKEN_MAX_AGE.  The old address is
  told when the change is made.
- A new password needs the current one and bumps `session_version`, which ends every
  session and remember cookie signed in before (accounts.services.load_user); the view
  signs the current session in again.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from directory.accounts.models import User
from directory.accounts.services import EmailAlreadyRegistered, find_user_by_email
from directory.core.addresses import checked_email
from directory.core.mail import queue_email
from directory.core.models import utcnow
from directory.core.passwords import hash_new_password, verify_password
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url
from directory.extensions import db


class WrongPassword(Exception):
    """The current password given does not match the account's."""


def check_password(user: User, password: str) -> None:
    """Raise WrongPassword unless `password` is the account's current password."""
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword()


def end_other_sessions(user: User) -> None:
    """Every session and remember cookie signed in before stops working at once."""
    user.session_version += 1


def change_name(user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    db.session.flush()
    return user


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Set a new password; raises WrongPassword or UnusablePassword, having changed nothing.

    Ends every other session (the caller signs the current one in again) and tells the
    account's address, so an unexpected change is noticed.
    """
    check_password(user, current_password)
    user.password_hash = hash_new_password(new_password)
    end_other_sessions(user)
    db.session.flush()
    queue_email(
        user.email,
        "password_changed",
        "Your password was changed",
        user=user,
        reset_link=external_url("accounts.forgot_password"),
    )
    return user


def request_email_change(user: User, new_email: str, password: str) -> str:
    """Email a confirmation link to `new_email`; returns the normalised address.

    Raises WrongPassword, InvalidEmail or EmailAlreadyRegistered, having sent nothing.
    Nothing changes until the link is opened.
    """
    check_password(user, password)
    new_email = checked_email(new_email)
    if new_email == user.email or find_user_by_email(new_email) is not None:
        raise EmailAlreadyRegistered(new_email)
    token = make_token(
        TokenPurpose.CHANGE_EMAIL, {"uid": user.id, "from": user.email, "to": new_email}
    )
    queue_email(
        new_email,
        "confirm_email_change",
        "Confirm your new email address",
        user=user,
        new_email=new_email,
        link=external_url("self_service.confirm_email_change", token=token),
    )
    return new_email


def confirm_email_change(token: str) -> User:
    """Move the account to the address in the token and tell the old address.

    Raises InvalidToken('expired' | 'invalid'); 'invalid' also when the link was used
    already (the account is no longer on the address it was made from) or the new address
    was taken meanwhile.  The new address counts as verified: the link proved it.
    """
    payload = read_token(
        TokenPurpose.CHANGE_EMAIL, token, current_app.config["EMAIL_TOKEN_MAX_AGE"]
    )
    user = db.session.get(User, payload.get("uid"))
    old_email, new_email = payload.get("from"), payload.get("to")
    if user is None or not user.is_active or user.email != old_email:
        raise InvalidToken("invalid")
    if find_user_by_email(new_email) is not None:
        raise InvalidToken("invalid")
    # Conditional, so of two concurrent uses of the link exactly one changes the row.
    moved = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.email == old_email)
        .values(email=new_email, email_verified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise InvalidToken("invalid")
    db.session.refresh(user)
    queue_email(
        old_email,
        "email_changed",
        "Your email address was changed",
        user=user,
        old_email=old_email,
        new_email=new_email,
        reset_link=external_url("accounts.forgot_password"),
    )
    return user
