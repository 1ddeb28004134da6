"""Forms of the account pages: each change that matters asks for the current password."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo

from directory.accounts.forms import PASSWORD_RULES, display_name_field
from directory.core.forms import PageForm, RadioChoiceField, email_field


def current_password_field() -> PasswordField:
    return PasswordField(
        "Current password",
        validators=[DataRequired(message="Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )


class NameForm(PageForm):
    display_name = display_name_field()


class EmailChangeForm(PageForm):
    email = email_field("New email address")
    password = current_password_field()


class PasswordChangeForm(PageForm):
    current_password = current_password_field()
    password = PasswordField(
        "New password", validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(message="Repeat the password."),
            EqualTo("password", message="The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class DeleteAccountForm(PageForm):
    reviews = RadioChoiceField(
        "Your published reviews",
        choices=[
            SelectChoice(
                "withdraw", "Withdraw them: they disappear and the ratings are recomputed"
            ),
            SelectChoice(
                "keep", "Keep them published as a former member, under your initials only"
            ),
        ],
        default="withdraw",
        validators=[DataRequired(message="Choose what happens to your reviews.")],
    )
    password = current_password_field()
    understood = BooleanField(
        "I understand that deleting my account cannot be undone",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )
